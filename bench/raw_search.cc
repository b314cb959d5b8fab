/* raw_search: in-process search latency of plain Xapian, the search limit.
 *
 * Opens the raw_indexer database, parses each query of the query file with
 * a QueryParser (English stemmer, STEM_SOME, default AND, as civ_xapian
 * does), runs Enquire for the top --count passages and computes an
 * MSet::snippet (SNIPPET_EXHAUSTIVE, --snippet-chars) of each returned
 * passage's text. One database, one thread.
 *
 * The query file has one query per line: "TEXT<TAB>FILTERS", FILTERS being
 * "" or "name=value[&name=value]"; format=NAME becomes a boolean filter on
 * the XFMTNAME term raw_indexer adds. Every query runs once to warm the
 * caches, then --rounds more times, each timed.
 *
 * Prints one line: "queries N samples N p50_ms X p90_ms X p99_ms X mean_ms X
 * hits_mean X". Exit 0 ok, 1 error, 2 usage.
 */
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace
{

struct bench_query {
    std::string text;
    std::string format;
};

std::vector<bench_query> load_queries(const std::string &path)
{
    std::vector<bench_query> qs;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        bench_query q;
        size_t tab = line.find('\t');
        q.text = line.substr(0, tab);
        if (tab != std::string::npos) {
            std::string filters = line.substr(tab + 1);
            size_t at = filters.find("format=");
            if (at != std::string::npos) {
                size_t end = filters.find('&', at);
                q.format = filters.substr(at + 7, end == std::string::npos ? end : end - at - 7);
            }
        }
        qs.push_back(q);
    }
    return qs;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

} // namespace

int main(int argc, char **argv)
{
    std::string db, queries;
    unsigned rounds = 5, count = 10, snippet_chars = 300;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--db" && i + 1 < argc)
            db = argv[++i];
        else if (a == "--queries" && i + 1 < argc)
            queries = argv[++i];
        else if (a == "--rounds" && i + 1 < argc)
            rounds = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        else if (a == "--count" && i + 1 < argc)
            count = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        else if (a == "--snippet-chars" && i + 1 < argc)
            snippet_chars = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        else {
            std::fprintf(stderr, "usage: raw_search --db DIR --queries FILE [--rounds N] "
                                 "[--count N] [--snippet-chars N]\n");
            return 2;
        }
    }
    if (db.empty() || queries.empty()) {
        std::fprintf(stderr, "raw_search: --db and --queries are required\n");
        return 2;
    }
    std::vector<bench_query> qs = load_queries(queries);
    if (qs.empty()) {
        std::fprintf(stderr, "raw_search: no queries in %s\n", queries.c_str());
        return 1;
    }
    try {
        Xapian::Database rdb(db);
        Xapian::Stem stem("english");
        std::vector<double> ms;
        unsigned long long hits = 0, runs = 0;
        for (unsigned round = 0; round <= rounds; round++) {
            for (const bench_query &bq : qs) {
                auto t0 = std::chrono::steady_clock::now();
                Xapian::QueryParser qp;
                qp.set_database(rdb);
                qp.set_stemmer(stem);
                qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
                qp.set_default_op(Xapian::Query::OP_AND);
                Xapian::Query query = qp.parse_query(bq.text);
                if (!bq.format.empty())
                    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                          Xapian::Query("XFMT" + bq.format));
                Xapian::Enquire enq(rdb);
                enq.set_query(query);
                Xapian::MSet mset = enq.get_mset(0, count);
                size_t total_len = 0;
                for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
                    std::string s = mset.snippet(it.get_document().get_data(), snippet_chars, stem,
                                                 Xapian::MSet::SNIPPET_EXHAUSTIVE, "<mark>",
                                                 "</mark>", "\xe2\x80\xa6");
                    total_len += s.size();
                }
                auto t1 = std::chrono::steady_clock::now();
                if (round > 0) {
                    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                    hits += mset.size();
                    runs++;
                }
                (void)total_len;
            }
        }
        double sum = 0;
        for (double m : ms)
            sum += m;
        std::printf("queries %zu samples %zu p50_ms %.3f p90_ms %.3f p99_ms %.3f mean_ms %.3f "
                    "hits_mean %.1f\n",
                    qs.size(), ms.size(), percentile(ms, 0.50), percentile(ms, 0.90),
                    percentile(ms, 0.99), ms.empty() ? 0 : sum / static_cast<double>(ms.size()),
                    runs ? static_cast<double>(hits) / static_cast<double>(runs) : 0);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "raw_search: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
