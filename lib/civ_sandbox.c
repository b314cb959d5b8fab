/* civ_sandbox.c: the extraction sandbox: worker processes and the pool
 * that drives them.
 *
 * Process model. Each pool thread owns at most one worker: a child started
 * with posix_spawn of the program itself in worker mode (no fork of a big
 * parent per file, no exec per file: a worker serves file after file). The
 * two talk over one AF_UNIX stream socket, the worker's stdin and stdout.
 * A worker lives in its own process group (a terminal's Ctrl-C reaches the
 * indexer, which finishes cleanly, not the workers) and dies with its
 * parent thread (PR_SET_PDEATHSIG) or when the socket closes.
 *
 * Messages are frames: a u32 little-endian length, then that many bytes in
 * the civ_wire encoding.
 *   worker -> pool, once at start: "CIVW", u8 version.
 *   request: "CIVQ", u8 version, u64 max_file_bytes, u64 max_text_bytes,
 *     u64 max_memory (0: none), u32 timeout_ms, u64 max_reply, u32 flags,
 *     str path, str old_sha256.
 *   reply: "CIVR", u8 version, u32 status, str message, u8 unchanged,
 *     str sha256, u64 size, u32 length + a civ_document_serialise blob
 *     (length 0 when there is no document).
 *
 * Limits in the worker, set before each request: RLIMIT_AS (except under
 * AddressSanitizer, whose shadow mapping is far larger than any sane cap),
 * RLIMIT_CPU as a backstop a little past the wall-clock timeout (the CPU
 * time a worker has used so far plus the timeout: the limit is cumulative
 * and workers are reused), RLIMIT_CORE 0, not dumpable, no new privileges,
 * every inherited descriptor but 0-2 closed.
 *
 * The pool's side of a request is one function, run_task, with one
 * deadline: the reply must be complete by then or the worker is killed.
 * Every way a worker can fail maps to one status: silence past the deadline
 * (CIV_ERR_TIMEOUT), death by SIGXCPU (CIV_ERR_TIMEOUT), the out-of-memory
 * exit status (CIV_ERR_NOMEM), any other death or a malformed reply
 * (CIV_ERR_CRASHED), a frame longer than the cap (CIV_ERR_TOOLARGE).
 *
 * Out of memory. Poppler and GLib abort() when an allocation fails, and a
 * failed allocation can also end in SIGSEGV. Under the cap the worker
 * catches those signals on an alternate stack and, when its address space
 * is at least half the cap (read from /proc/self/statm, async-signal-safe),
 * exits with WORKER_EXIT_OOM instead; otherwise the signal kills it as
 * usual and it counts as a crash.
 */
#include "civ_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "civ_lang.h"
#include "civ_wire.h"

extern char **environ;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

#define PROTOCOL_VERSION 1
/* A request is a path and a few numbers. */
#define MAX_REQUEST (64 * 1024)
/* Room in a reply frame for everything but the document. */
#define REPLY_OVERHEAD 1024
/* A worker that ran out of memory under the cap exits with this. */
#define WORKER_EXIT_OOM 86
/* How long a closed worker may take to exit before it is killed. */
#define EXIT_GRACE_MS 2000
#define FLAG_TEST_HOOKS 1u

/* ---- frames on a descriptor -------------------------------------------- */

typedef enum io_result { IO_OK, IO_EOF, IO_TIMEOUT, IO_ERROR } io_result;

/* Milliseconds left until deadline (monotonic µs); -1 for no deadline. */
static int ms_left(gint64 deadline)
{
    if (deadline < 0)
        return -1;
    gint64 left = (deadline - g_get_monotonic_time() + 999) / 1000;
    return left <= 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

/* Wait until fd is ready for events or the deadline passes. */
static io_result wait_fd(int fd, short events, gint64 deadline)
{
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, ms_left(deadline));
        if (n > 0)
            return IO_OK;
        if (n == 0)
            return IO_TIMEOUT;
        if (errno != EINTR)
            return IO_ERROR;
    }
}

static io_result read_full(int fd, void *buf, size_t len, gint64 deadline)
{
    size_t got = 0;
    while (got < len) {
        io_result w = wait_fd(fd, POLLIN, deadline);
        if (w != IO_OK)
            return w;
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n == 0)
            return IO_EOF;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return errno == ECONNRESET ? IO_EOF : IO_ERROR;
        }
        got += (size_t)n;
    }
    return IO_OK;
}

/* send() with MSG_NOSIGNAL: a dead peer is an error, not a SIGPIPE. */
static io_result write_full(int fd, const void *buf, size_t len, gint64 deadline)
{
    size_t done = 0;
    while (done < len) {
        io_result w = wait_fd(fd, POLLOUT, deadline);
        if (w != IO_OK)
            return w;
        ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return errno == EPIPE || errno == ECONNRESET ? IO_EOF : IO_ERROR;
        }
        done += (size_t)n;
    }
    return IO_OK;
}

static io_result write_frame(int fd, const civ_wire_writer *w, gint64 deadline)
{
    unsigned char head[4];
    for (int i = 0; i < 4; i++)
        head[i] = (unsigned char)(w->len >> (8 * i));
    io_result r = write_full(fd, head, sizeof head, deadline);
    return r == IO_OK ? write_full(fd, w->data, w->len, deadline) : r;
}

/* Read one frame of at most max bytes into *data (malloc'd). A longer
 * frame leaves *len at its announced length and returns IO_ERROR with
 * *data NULL. */
static io_result read_frame(int fd, size_t max, unsigned char **data, size_t *len, gint64 deadline)
{
    unsigned char head[4];
    *data = NULL;
    *len = 0;
    io_result r = read_full(fd, head, sizeof head, deadline);
    if (r != IO_OK)
        return r;
    size_t n =
        (size_t)head[0] | (size_t)head[1] << 8 | (size_t)head[2] << 16 | (size_t)head[3] << 24;
    *len = n;
    if (n > max)
        return IO_ERROR;
    unsigned char *buf = malloc(n ? n : 1);
    if (!buf)
        return IO_ERROR;
    r = read_full(fd, buf, n, deadline);
    if (r != IO_OK) {
        free(buf);
        return r;
    }
    *data = buf;
    return IO_OK;
}

/* Check a message's 4-byte magic and version. */
static int expect_magic(civ_wire_reader *r, const char *magic)
{
    for (int i = 0; i < 4; i++)
        if (civ_wire_get_u8(r) != (uint8_t)magic[i])
            r->bad = 1;
    if (civ_wire_get_u8(r) != PROTOCOL_VERSION)
        r->bad = 1;
    return !r->bad;
}

int civ_sandbox_memory_capped(void)
{
    return !UNDER_SANITIZER;
}

/* ---- the worker ---------------------------------------------------------- */

static volatile sig_atomic_t oom_cap_pages; /* 0: no cap, no OOM mapping */

/* On SIGABRT/SIGSEGV/SIGBUS: exit WORKER_EXIT_OOM when the address space is
 * near the cap, else return and let the signal's default action (restored
 * by SA_RESETHAND) kill the process. Async-signal-safe calls only. */
static void on_fatal_signal(int sig)
{
    (void)sig;
    char buf[64];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    long pages = 0;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
        pages = pages * 10 + (buf[i] - '0');
    if (oom_cap_pages && pages >= oom_cap_pages / 2)
        _exit(WORKER_EXIT_OOM);
}

static void install_oom_mapping(void)
{
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

/* Process-wide hardening, once at start. */
static void harden_worker(void)
{
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    /* Started as /proc/self/exe, it would show as "exe" in ps and top. */
    prctl(PR_SET_NAME, "civitas-extract", 0, 0, 0);
    /* Nothing the parent had open (index files, other workers' sockets)
     * stays reachable. */
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
#endif
    {
        long max = sysconf(_SC_OPEN_MAX);
        for (long fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
            close((int)fd);
    }
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_IGN);
    signal(SIGXCPU, SIG_DFL);
}

/* Per-request limits: the address-space cap, and a CPU backstop that fires
 * a little after the pool's wall-clock timeout would have. */
static void limit_worker(uint64_t max_memory, uint32_t timeout_ms)
{
    if (max_memory && !UNDER_SANITIZER) {
        struct rlimit as = {(rlim_t)max_memory, (rlim_t)max_memory};
        if (setrlimit(RLIMIT_AS, &as) == 0 && !oom_cap_pages) {
            long page = sysconf(_SC_PAGESIZE);
            oom_cap_pages = (sig_atomic_t)MIN(max_memory / (uint64_t)(page > 0 ? page : 4096),
                                              (uint64_t)INT32_MAX);
            install_oom_mapping();
        }
    }
    struct rusage ru;
    struct rlimit cpu;
    if (getrusage(RUSAGE_SELF, &ru) == 0 && getrlimit(RLIMIT_CPU, &cpu) == 0) {
        rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
        cpu.rlim_cur = used + timeout_ms / 1000 + 2;
        if (cpu.rlim_max != RLIM_INFINITY && cpu.rlim_cur > cpu.rlim_max)
            cpu.rlim_cur = cpu.rlim_max;
        setrlimit(RLIMIT_CPU, &cpu);
    }
}

/* Tests only (FLAG_TEST_HOOKS, set by civ_sandbox_options.test_hooks): a
 * file whose name starts with "civ-test-" misbehaves on purpose: "abort",
 * "exit" (status 3), "hang", "oom" (allocate until the cap), "flood" (a
 * reply frame past the output cap). */
static void test_hook(const char *path, size_t max_reply)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strncmp(base, "civ-test-", 9) != 0)
        return;
    base += 9;
    if (strncmp(base, "abort", 5) == 0)
        abort();
    if (strncmp(base, "exit", 4) == 0)
        _exit(3);
    if (strncmp(base, "hang", 4) == 0)
        for (;;)
            pause();
    if (strncmp(base, "oom", 3) == 0) {
        /* Reserve address space until the cap says no, as a bomb would;
         * without a cap, just crash rather than eat the machine. */
        while (oom_cap_pages && malloc(16u << 20))
            ;
        abort();
    }
    if (strncmp(base, "flood", 5) == 0) {
        /* A frame header past the cap, then bytes until killed. */
        uint64_t n = (uint64_t)max_reply + 1;
        unsigned char head[4] = {(unsigned char)n, (unsigned char)(n >> 8),
                                 (unsigned char)(n >> 16), (unsigned char)(n >> 24)};
        static const char junk[4096];
        if (write(STDOUT_FILENO, head, 4) == 4)
            while (write(STDOUT_FILENO, junk, sizeof junk) > 0)
                ;
        _exit(4);
    }
}

/* Extract one requested file into the reply fields. */
static void serve_request(const char *path, const char *old_sha, const civ_extract_limits *lim,
                          size_t max_reply, civ_sandbox_task *t, char **blob, size_t *blob_len)
{
    char *bytes = NULL;
    size_t len = 0;
    civ_err_clear(&t->err);
    t->status = civ_extract_read(path, lim, &bytes, &len, &t->err);
    if (t->status == CIV_OK) {
        gchar *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)bytes, len);
        g_strlcpy(t->sha256, sha, sizeof t->sha256);
        g_free(sha);
        t->size = (long long)len;
        if (old_sha && old_sha[0] && strcmp(old_sha, t->sha256) == 0)
            t->unchanged = 1;
        else
            t->status = civ_extract_bytes(path, bytes, len, lim, &t->doc, &t->err);
    }
    /* The input goes before the document is serialised: peak memory is
     * one of them plus the encoding, not all three. */
    free(bytes);
    if (t->status == CIV_OK && t->doc) {
        civ_lang_identify_document(t->doc);
        t->status =
            civ_document_serialise(t->doc, max_reply - REPLY_OVERHEAD, blob, blob_len, &t->err);
    }
    civ_document_free(t->doc);
    t->doc = NULL;
}

int civ_sandbox_is_worker(int argc, char **argv)
{
    return argc == 2 && argv[1] && strcmp(argv[1], CIV_SANDBOX_WORKER_ARG) == 0;
}

int civ_sandbox_worker_main(void)
{
    int in = STDIN_FILENO, out = STDOUT_FILENO;
    civ_wire_writer w;
    harden_worker();
    civ_wire_writer_init(&w, 16);
    civ_wire_put_bytes(&w, "CIVW", 4);
    civ_wire_put_u8(&w, PROTOCOL_VERSION);
    io_result io = write_frame(out, &w, -1);
    civ_wire_writer_clear(&w);
    while (io == IO_OK) {
        unsigned char *req = NULL;
        size_t req_len = 0;
        io = read_frame(in, MAX_REQUEST, &req, &req_len, -1);
        if (io != IO_OK)
            break;
        civ_wire_reader r;
        civ_wire_reader_init(&r, req, req_len);
        expect_magic(&r, "CIVQ");
        civ_extract_limits lim = {0, 0};
        lim.max_file_bytes = (size_t)civ_wire_get_u64(&r);
        lim.max_text_bytes = (size_t)civ_wire_get_u64(&r);
        uint64_t max_memory = civ_wire_get_u64(&r);
        uint32_t timeout_ms = civ_wire_get_u32(&r);
        uint64_t max_reply = civ_wire_get_u64(&r);
        uint32_t flags = civ_wire_get_u32(&r);
        char *path = civ_wire_get_str(&r, MAX_REQUEST);
        char *old_sha = civ_wire_get_str(&r, 64);
        if (r.bad || !path || max_reply < 2 * REPLY_OVERHEAD || max_reply > UINT32_MAX) {
            /* Not our pool: stop rather than guess. */
            free(path);
            free(old_sha);
            free(req);
            return 2;
        }
        free(req);
        limit_worker(max_memory, timeout_ms);
        if (flags & FLAG_TEST_HOOKS)
            test_hook(path, (size_t)max_reply);

        civ_sandbox_task t;
        memset(&t, 0, sizeof t);
        char *blob = NULL;
        size_t blob_len = 0;
        serve_request(path, old_sha, &lim, (size_t)max_reply, &t, &blob, &blob_len);
        civ_wire_writer_init(&w, (size_t)max_reply);
        civ_wire_put_bytes(&w, "CIVR", 4);
        civ_wire_put_u8(&w, PROTOCOL_VERSION);
        civ_wire_put_u32(&w, (uint32_t)t.status);
        civ_wire_put_str(&w, t.err.msg);
        civ_wire_put_u8(&w, (uint8_t)t.unchanged);
        civ_wire_put_str(&w, t.sha256);
        civ_wire_put_u64(&w, (uint64_t)t.size);
        civ_wire_put_u32(&w, (uint32_t)blob_len);
        civ_wire_put_bytes(&w, blob, blob_len);
        free(blob);
        free(path);
        free(old_sha);
        io = w.bad ? IO_ERROR : write_frame(out, &w, -1);
        civ_wire_writer_clear(&w);
    }
    return io == IO_EOF ? 0 : 1;
}

/* ---- the pool ------------------------------------------------------------ */

typedef struct worker {
    civ_sandbox *sb;
    GThread *thread;
    pid_t pid; /* 0: not running */
    int fd;    /* our end of the socket, -1 when not running */
} worker;

struct civ_sandbox {
    civ_sandbox_options opt; /* defaults filled in */
    char *program;           /* what is executed */
    char *name;              /* its argv[0], for ps and logs */
    GAsyncQueue *todo;       /* civ_sandbox_task *, or &stop */
    GAsyncQueue *done;
    worker *workers;
    unsigned n_workers;
};

/* Pushed once per thread to stop it. */
static civ_sandbox_task stop;

/* Wait for pid, killing it after grace_ms if it has not exited. */
static int reap(pid_t pid, int grace_ms)
{
    int status = 0;
    gint64 until = g_get_monotonic_time() + (gint64)grace_ms * 1000;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return 0;
        if (r == 0 && g_get_monotonic_time() >= until) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return status;
        }
        g_usleep(1000);
    }
}

/* Stop w's worker: kill it when it is busy or misbehaving, else let it see
 * EOF and exit. Returns its wait status. */
static int stop_worker(worker *w, int force)
{
    int status = 0;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    if (w->pid > 0) {
        if (force)
            kill(w->pid, SIGKILL);
        status = reap(w->pid, force ? 0 : EXIT_GRACE_MS);
    }
    w->pid = 0;
    return status;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGABRT:
        return "SIGABRT";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGXCPU:
        return "SIGXCPU";
    case SIGXFSZ:
        return "SIGXFSZ";
    case SIGSYS:
        return "SIGSYS";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGPIPE:
        return "SIGPIPE";
    }
    return "a signal";
}

/* The status of a task whose worker died (its wait status). */
static void worker_died(civ_sandbox *sb, int status, civ_sandbox_task *t)
{
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
        t->status = civ_err_set(&t->err, CIV_ERR_TIMEOUT,
                                "extraction exceeded its CPU time limit; worker killed");
    } else if (WIFSIGNALED(status)) {
        t->status = civ_err_set(&t->err, CIV_ERR_CRASHED, "extraction worker killed by %s (%d)",
                                signal_name(WTERMSIG(status)), WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_OOM) {
        t->status = civ_err_set(&t->err, CIV_ERR_NOMEM,
                                "extraction needed more than the %llu MiB memory cap",
                                sb->opt.max_memory >> 20);
    } else {
        t->status = civ_err_set(&t->err, CIV_ERR_CRASHED,
                                "extraction worker exited with status %d mid-file",
                                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
}

/* Start w's worker and wait for its greeting. */
static civ_status start_worker(worker *w, civ_err *err)
{
    civ_sandbox *sb = w->sb;
    int sv[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    civ_status st = CIV_OK;
    unsigned char *hello = NULL;
    size_t hello_len = 0;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return civ_err_set(err, CIV_ERR_INTERNAL, "cannot start extraction worker: %s",
                           strerror(errno));
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, sv[1], STDOUT_FILENO);
    if (!sb->opt.worker_stderr)
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    /* Default signal dispositions and an empty mask, whatever the thread
     * had; a process group of its own, away from the terminal's signals. */
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETPGROUP);
    char *argv[] = {sb->name, (char *)CIV_SANDBOX_WORKER_ARG, NULL};
    int rc = posix_spawn(&w->pid, sb->program, &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(sv[1]);
    w->fd = sv[0];
    if (rc != 0) {
        w->pid = 0;
        st = civ_err_set(err, CIV_ERR_INTERNAL, "cannot start extraction worker %s: %s",
                         sb->program, strerror(rc));
        goto out;
    }
    gint64 deadline = g_get_monotonic_time() + (gint64)sb->opt.timeout_ms * 1000;
    io_result io = read_frame(w->fd, 16, &hello, &hello_len, deadline);
    civ_wire_reader r;
    civ_wire_reader_init(&r, hello, hello_len);
    if (io != IO_OK || !expect_magic(&r, "CIVW") || r.left) {
        st = civ_err_set(err, CIV_ERR_INTERNAL,
                         "%s did not start as an extraction worker (no %s mode?)", sb->program,
                         CIV_SANDBOX_WORKER_ARG);
        goto out;
    }
out:
    free(hello);
    if (st != CIV_OK)
        stop_worker(w, 1);
    return st;
}

static void encode_request(civ_sandbox *sb, const civ_sandbox_task *t, civ_wire_writer *w)
{
    civ_wire_writer_init(w, MAX_REQUEST);
    civ_wire_put_bytes(w, "CIVQ", 4);
    civ_wire_put_u8(w, PROTOCOL_VERSION);
    civ_wire_put_u64(w, sb->opt.extract.max_file_bytes);
    civ_wire_put_u64(w, sb->opt.extract.max_text_bytes);
    civ_wire_put_u64(w, civ_sandbox_memory_capped() ? sb->opt.max_memory : 0);
    civ_wire_put_u32(w, sb->opt.timeout_ms);
    civ_wire_put_u64(w, sb->opt.max_reply);
    civ_wire_put_u32(w, sb->opt.test_hooks ? FLAG_TEST_HOOKS : 0);
    civ_wire_put_str(w, t->path);
    civ_wire_put_str(w, t->old_sha256 ? t->old_sha256 : "");
}

/* Decode a reply into t. Returns 0 when it is malformed. */
static int decode_reply(const unsigned char *data, size_t len, civ_sandbox_task *t)
{
    civ_wire_reader r;
    civ_wire_reader_init(&r, data, len);
    expect_magic(&r, "CIVR");
    uint32_t status = civ_wire_get_u32(&r);
    char *msg = civ_wire_get_str(&r, CIV_ERR_MSG_MAX - 1);
    t->unchanged = civ_wire_get_u8(&r) != 0;
    char *sha = civ_wire_get_str(&r, 64);
    t->size = (long long)civ_wire_get_u64(&r);
    uint32_t blob_len = civ_wire_get_u32(&r);
    int ok = !r.bad && status <= CIV_ERR_INTERNAL && blob_len == r.left;
    if (ok) {
        t->status = (civ_status)status;
        civ_err_set(&t->err, t->status, "%s", msg ? msg : "");
        g_strlcpy(t->sha256, sha ? sha : "", sizeof t->sha256);
        if (t->status == CIV_OK && !t->unchanged) {
            civ_err derr;
            ok = civ_document_deserialise((const char *)r.p, blob_len, &t->doc, &derr) == CIV_OK;
        } else {
            ok = blob_len == 0;
        }
    }
    free(msg);
    free(sha);
    return ok;
}

/* Run one task on w's worker (starting one when there is none). */
static void run_task(worker *w, civ_sandbox_task *t)
{
    civ_sandbox *sb = w->sb;
    civ_wire_writer req;
    unsigned char *reply = NULL;
    size_t reply_len = 0;
    io_result io = IO_EOF;

    encode_request(sb, t, &req);
    if (req.bad) {
        t->status = civ_err_set(&t->err, CIV_ERR_INPUT, "path too long");
        goto out;
    }
    gint64 deadline = g_get_monotonic_time() + (gint64)sb->opt.timeout_ms * 1000;
    /* A worker that died between files is only noticed on the next send:
     * one restart, then the file is sent again. */
    for (int attempt = 0; attempt < 2 && io == IO_EOF; attempt++) {
        if (w->pid <= 0 && start_worker(w, &t->err) != CIV_OK) {
            t->status = t->err.code;
            goto out;
        }
        io = write_frame(w->fd, &req, deadline);
        if (io == IO_EOF && attempt == 0)
            stop_worker(w, 1);
    }
    if (io == IO_OK)
        io = read_frame(w->fd, sb->opt.max_reply, &reply, &reply_len, deadline);
    switch (io) {
    case IO_OK:
        if (!decode_reply(reply, reply_len, t)) {
            civ_document_free(t->doc);
            t->doc = NULL;
            stop_worker(w, 1);
            t->status = civ_err_set(&t->err, CIV_ERR_CRASHED,
                                    "extraction worker sent a malformed reply; worker replaced");
        }
        break;
    case IO_TIMEOUT:
        stop_worker(w, 1);
        t->status = civ_err_set(&t->err, CIV_ERR_TIMEOUT,
                                "no result after %.1f s; worker killed (--timeout)",
                                sb->opt.timeout_ms / 1000.0);
        break;
    case IO_EOF:
        worker_died(sb, stop_worker(w, 0), t);
        break;
    case IO_ERROR: {
        int saved = errno;
        stop_worker(w, 1);
        if (reply_len > sb->opt.max_reply)
            t->status = civ_err_set(&t->err, CIV_ERR_TOOLARGE,
                                    "extraction output of %zu bytes exceeds the %zu-byte cap",
                                    reply_len, sb->opt.max_reply);
        else
            t->status = civ_err_set(&t->err, CIV_ERR_INTERNAL,
                                    "talking to the extraction worker: %s", strerror(saved));
        break;
    }
    }
out:
    free(reply);
    civ_wire_writer_clear(&req);
}

static gpointer worker_thread(gpointer data)
{
    worker *w = data;
    civ_sandbox *sb = w->sb;
    for (;;) {
        civ_sandbox_task *t = g_async_queue_pop(sb->todo);
        if (t == &stop)
            break;
        run_task(w, t);
        g_async_queue_push(sb->done, t);
    }
    stop_worker(w, 0);
    return NULL;
}

civ_status civ_sandbox_open(const civ_sandbox_options *opt, civ_sandbox **out, civ_err *err)
{
    *out = NULL;
    civ_sandbox *sb = g_new0(civ_sandbox, 1);
    sb->opt = *opt;
    if (!sb->opt.workers)
        sb->opt.workers = 1;
    if (!sb->opt.timeout_ms)
        sb->opt.timeout_ms = CIV_SANDBOX_DEFAULT_TIMEOUT_MS;
    if (!sb->opt.max_memory)
        sb->opt.max_memory = CIV_SANDBOX_DEFAULT_MAX_MEMORY;
    if (!sb->opt.max_reply || sb->opt.max_reply > UINT32_MAX)
        sb->opt.max_reply = CIV_SANDBOX_DEFAULT_MAX_REPLY;
    if (sb->opt.max_reply < 2 * REPLY_OVERHEAD)
        sb->opt.max_reply = 2 * REPLY_OVERHEAD;
    /* /proc/self/exe itself, not where it points: the workers run exactly
     * this build even if the file is replaced during the run. */
    sb->program = g_strdup(opt->program ? opt->program : "/proc/self/exe");
    sb->name = opt->program ? g_strdup(opt->program) : g_file_read_link("/proc/self/exe", NULL);
    if (!sb->name)
        sb->name = g_strdup(sb->program);
    if (access(sb->program, X_OK) != 0) {
        civ_status st =
            civ_err_set(err, CIV_ERR_INPUT, "extraction worker %s is not executable", sb->program);
        g_free(sb->program);
        g_free(sb->name);
        g_free(sb);
        return st;
    }
    sb->todo = g_async_queue_new();
    sb->done = g_async_queue_new();
    sb->n_workers = sb->opt.workers;
    sb->workers = g_new0(worker, sb->n_workers);
    for (unsigned i = 0; i < sb->n_workers; i++) {
        sb->workers[i].sb = sb;
        sb->workers[i].fd = -1;
        sb->workers[i].thread = g_thread_new("civ-sandbox", worker_thread, &sb->workers[i]);
    }
    *out = sb;
    return CIV_OK;
}

void civ_sandbox_submit(civ_sandbox *sb, civ_sandbox_task *task)
{
    task->status = CIV_OK;
    civ_err_clear(&task->err);
    task->unchanged = 0;
    task->sha256[0] = '\0';
    task->size = 0;
    task->doc = NULL;
    g_async_queue_push(sb->todo, task);
}

civ_sandbox_task *civ_sandbox_next(civ_sandbox *sb)
{
    return g_async_queue_pop(sb->done);
}

void civ_sandbox_close(civ_sandbox *sb)
{
    if (!sb)
        return;
    for (unsigned i = 0; i < sb->n_workers; i++)
        g_async_queue_push(sb->todo, &stop);
    for (unsigned i = 0; i < sb->n_workers; i++)
        g_thread_join(sb->workers[i].thread);
    g_async_queue_unref(sb->todo);
    g_async_queue_unref(sb->done);
    g_free(sb->workers);
    g_free(sb->program);
    g_free(sb->name);
    g_free(sb);
}
