/* civ_malloc_conf.c: jemalloc's settings for the programs (compiled into
 * each program that links civ_malloc; see CMakeLists.txt).
 *
 * jemalloc keeps freed objects of up to 32 KiB in a per-thread cache and
 * returns larger ones to its arenas, from which the next allocation of the
 * same size came back as fresh pages. libexttextcat builds its n-gram
 * tables, a few hundred KiB, anew for every text it identifies, so each
 * identification page-faulted its tables in again: on 1,000 General Debate
 * speeches, 168,000 page faults, 32,000 with objects of up to 1 MiB kept
 * in the thread cache, and 2% less CPU.
 *
 * The thread cache also gives back, every 64 KiB allocated, some of the
 * objects a size has not used since the last time it was looked at. The
 * daemon identifies each query's language (when the index holds several
 * languages of one script), and between two queries a search allocates
 * far more than 64 KiB: the n-gram table went back every time, and every
 * query faulted it in again, each fault also flushing the other core's
 * view of the pages (5% of the daemon's CPU on the UN PDFs). Looking
 * every 16 MiB keeps the table cached; the cache's size limits are the
 * same, it only gives back later.
 *
 * jemalloc reads this variable at start-up; MALLOC_CONF in the
 * environment still overrides it.
 */
extern const char *malloc_conf;
const char *malloc_conf = "tcache_max:1048576,tcache_gc_incr_bytes:16777216";
