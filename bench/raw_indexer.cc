/* raw_indexer: the writing limit for the benchmarks.
 *
 * The least a Xapian indexer can do with the passages Civitas indexes: read
 * UTF-8 text files (one per line of a list file, or given as arguments),
 * split each on blank lines into passages, and add one document per passage
 * to a single WritableDatabase: the passage text through a TermGenerator
 * (English stemmer, positions on), the text as document data, a unique
 * id term and one boolean format term (so filtered queries can run on the
 * raw index too). It commits every --commit passages and at the end.
 *
 * No extraction, no metadata, no language detection, no hashing: whatever
 * Civitas spends beyond this is its own overhead.
 *
 * Usage: raw_indexer --db DIR [--commit N] [--format NAME] [--spelling]
 *                    (--list FILE | FILE...)
 * --spelling adds the words to the spelling dictionary (FLAG_SPELLING), as
 * civitas-index does for passage text: to measure what that costs.
 * A --list line is a path, or "FORMAT<TAB>PATH" to set that file's format
 * term (default --format, "text").
 * Prints "files N passages N bytes N" on stdout. Exit 0 ok, 1 error, 2 usage.
 */
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace
{

bool read_file(const std::string &path, std::string &out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

bool blank(const std::string &line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f')
            return false;
    return true;
}

/* Passages: runs of non-blank lines, joined with single spaces. Form feeds
 * (pdftotext's page breaks) count as blank. Text without any blank line
 * (the General Debate speeches: one unwrapped paragraph per line, which
 * Civitas's splitter also takes line by line) gives a passage per line. */
void split_passages(const std::string &text, std::vector<std::string> &passages)
{
    passages.clear();
    std::string cur, line;
    std::vector<std::string> lines;
    bool any_blank = false;
    std::istringstream in(text);
    while (std::getline(in, line)) {
        if (blank(line)) {
            any_blank = true;
            if (!cur.empty())
                passages.push_back(std::move(cur));
            cur.clear();
            continue;
        }
        if (!cur.empty())
            cur += ' ';
        cur += line;
        lines.push_back(line);
    }
    if (!cur.empty())
        passages.push_back(std::move(cur));
    if (!any_blank && lines.size() > 1)
        passages = std::move(lines);
}

int usage()
{
    std::fprintf(stderr, "usage: raw_indexer --db DIR [--commit N] [--format NAME] [--spelling] "
                         "(--list FILE | FILE...)\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    std::string db, list, format = "text";
    unsigned long commit_every = 2000;
    bool spelling = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--db" && i + 1 < argc)
            db = argv[++i];
        else if (a == "--list" && i + 1 < argc)
            list = argv[++i];
        else if (a == "--format" && i + 1 < argc)
            format = argv[++i];
        else if (a == "--spelling")
            spelling = true;
        else if (a == "--commit" && i + 1 < argc)
            commit_every = std::strtoul(argv[++i], nullptr, 10);
        else if (!a.empty() && a[0] == '-')
            return usage();
        else
            files.push_back(a);
    }
    if (db.empty() || commit_every == 0)
        return usage();
    if (!list.empty()) {
        std::ifstream in(list);
        if (!in) {
            std::fprintf(stderr, "raw_indexer: cannot read %s\n", list.c_str());
            return 1;
        }
        std::string line;
        while (std::getline(in, line))
            if (!line.empty())
                files.push_back(line);
    }
    /* A list line may be "FORMAT<TAB>PATH": the format term for that file. */
    std::vector<std::string> formats(files.size(), format);
    for (size_t i = 0; i < files.size(); i++) {
        size_t tab = files[i].find('\t');
        if (tab != std::string::npos) {
            formats[i] = files[i].substr(0, tab);
            files[i] = files[i].substr(tab + 1);
        }
    }
    try {
        Xapian::WritableDatabase wdb(db, Xapian::DB_CREATE_OR_OPEN);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("english"));
        if (spelling) {
            tg.set_database(wdb);
            tg.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
        }
        unsigned long n_passages = 0, n_files = 0, since_commit = 0;
        unsigned long long n_bytes = 0;
        std::string text;
        std::vector<std::string> passages;
        for (size_t f = 0; f < files.size(); f++) {
            const std::string &path = files[f];
            const std::string fmt_term = "XFMT" + formats[f];
            if (!read_file(path, text)) {
                std::fprintf(stderr, "raw_indexer: cannot read %s\n", path.c_str());
                continue;
            }
            n_files++;
            n_bytes += text.size();
            split_passages(text, passages);
            for (size_t k = 0; k < passages.size(); k++) {
                Xapian::Document doc;
                tg.set_document(doc);
                tg.index_text(passages[k]);
                doc.set_data(passages[k]);
                std::string id = "Q" + std::to_string(n_files) + "-" + std::to_string(k + 1);
                doc.add_boolean_term(id);
                doc.add_boolean_term(fmt_term);
                wdb.add_document(doc);
                n_passages++;
                if (++since_commit >= commit_every) {
                    wdb.commit();
                    since_commit = 0;
                }
            }
        }
        wdb.commit();
        std::printf("files %lu passages %lu bytes %llu\n", n_files, n_passages, n_bytes);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "raw_indexer: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
