/* civ_xapian.cc: the C face on Xapian (see civ_xapian.h).
 *
 * Every extern "C" function catches every exception and turns it into a
 * civ_status through fail(), which rethrows and catches by type. Messages are
 * copied into the caller's civ_err inside the catch; results are copied into
 * malloc'd C memory before returning. No C callback is called inside a try.
 *
 * Readers retry once after DatabaseModifiedError: the index was rewritten
 * under them (the indexer committed twice while a query ran); reopening moves
 * to the newest revision and the retry sees a consistent database.
 */
#include "civ_xapian.h"
#include "civ_snippet.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>
#include <glib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace
{

/* Snowball's Arabic stemmer takes the article off "التعليم" and
 * "بالتعليم" but leaves "والتعليم" ("and the education") and "فالتعليم"
 * whole, so the commonest way to join two nouns was found by no other
 * form of its word. With the conjunction taken off first, all stem alike. */
class ArabicStem : public Xapian::StemImplementation
{
  public:
    std::string operator()(const std::string &word) override
    {
        /* و or ف, then ال, then at least two letters (UTF-8: two bytes each). */
        static const char wa[] = "\xd9\x88", fa[] = "\xd9\x81", al[] = "\xd8\xa7\xd9\x84";
        if (word.size() >= 10 && (word.compare(0, 2, wa) == 0 || word.compare(0, 2, fa) == 0) &&
            word.compare(2, 4, al) == 0)
            return stem_(word.substr(2));
        return stem_(word);
    }

    std::string get_description() const override
    {
        return "arabic, conjunction first";
    }

  private:
    Xapian::Stem stem_{"arabic"};
};

/* The stemmer for a Xapian stemmer name. */
Xapian::Stem make_stem(const char *language)
{
    if (strcmp(language, "arabic") == 0)
        return Xapian::Stem(new ArabicStem());
    return Xapian::Stem(language);
}

/* A stemmer that remembers its answers. A snippet stems every word of
 * every passage it is made from: the same few thousand words come back all
 * the time, and a lookup costs a fraction of a Snowball run. The table is
 * open-addressed with the word and its stem inside the slot (one cache
 * line), allocated on first use and started afresh when three quarters
 * full; longer words are stemmed each time. Each reader has its own (a
 * reader is used by one thread at a time). Writers keep Xapian's plain
 * stemmers: over the much larger vocabulary of indexing, remembering made
 * the indexer 4% slower. */
class RememberingStem : public Xapian::StemImplementation
{
  public:
    explicit RememberingStem(const char *language) : stem_(make_stem(language))
    {
    }

    std::string operator()(const std::string &word) override
    {
        size_t n;
        const char *s = stem(word.data(), word.size(), &n);
        return std::string(s, n);
    }

    std::string get_description() const override
    {
        return "remembering " + stem_.get_description();
    }

    /* The stem of word[0, len): valid until the next call. */
    const char *stem(const char *word, size_t len, size_t *stem_len)
    {
        if (len == 0 || len > MAX_BYTES)
            return stem_uncached(word, len, stem_len);
        if (slots_.empty())
            slots_.resize(SLOTS);
        uint32_t h = hash(word, len);
        size_t i = h & (SLOTS - 1);
        for (;; i = (i + 1) & (SLOTS - 1)) {
            Slot &slot = slots_[i];
            if (slot.hash == 0)
                break;
            if (slot.hash == h && slot.word_len == len && memcmp(slot.word, word, len) == 0) {
                *stem_len = slot.stem_len;
                return slot.stem;
            }
        }
        std::string st = stem_(std::string(word, len));
        if (st.size() > MAX_BYTES) {
            long_ = std::move(st);
            *stem_len = long_.size();
            return long_.data();
        }
        if (used_ >= MAX_USED) {
            std::fill(slots_.begin(), slots_.end(), Slot());
            used_ = 0;
            i = h & (SLOTS - 1);
        }
        Slot &slot = slots_[i];
        slot.hash = h;
        slot.word_len = static_cast<uint8_t>(len);
        slot.stem_len = static_cast<uint8_t>(st.size());
        memcpy(slot.word, word, len);
        memcpy(slot.stem, st.data(), st.size());
        used_++;
        *stem_len = slot.stem_len;
        return slot.stem;
    }

  private:
    static const size_t MAX_BYTES = 29; /* a slot is 64 bytes */
    static const size_t SLOTS = 1 << 14;
    static const size_t MAX_USED = SLOTS / 4 * 3;
    struct Slot {
        uint32_t hash; /* 0: empty */
        uint8_t word_len, stem_len;
        char word[MAX_BYTES], stem[MAX_BYTES];
    };

    static uint32_t hash(const char *s, size_t len)
    {
        uint32_t h = 2166136261u; /* FNV-1a */
        for (size_t i = 0; i < len; i++)
            h = (h ^ static_cast<unsigned char>(s[i])) * 16777619u;
        return h ? h : 1;
    }

    const char *stem_uncached(const char *word, size_t len, size_t *stem_len)
    {
        long_ = stem_(std::string(word, len));
        *stem_len = long_.size();
        return long_.data();
    }

    Xapian::Stem stem_;
    std::vector<Slot> slots_;
    size_t used_ = 0;
    std::string long_;
};

/* Language configuration shared by writer and reader: one stemmer and
 * stopper per language code. */
struct LangSet {
    struct Entry {
        Xapian::Stem stem;
        RememberingStem *memo = nullptr; /* stem's implementation, for readers */
        std::unique_ptr<Xapian::SimpleStopper> stopper;
        bool cjk = false;
        bool elision = false;
        /* Snowball's English stemmer rewrites endings only: a stem begins
         * with its word's first byte (civ_snippet_query_stems_keep_first_byte).
         * Others do not (Spanish drops accents, Arabic prefixes). */
        bool stem_keeps_first = false;
    };
    std::map<std::string, Entry> by_code;
    /* The stopwords of every language, and a name for that set: a word
     * pair term (civ_xapian_writer_merge_words) is made of other words
     * only, and an index's pairs are used only with the set that made
     * them. */
    std::unordered_set<std::string> common;
    std::string pairs_version;

    /* remember: stemmers that remember their answers (for readers: see
     * RememberingStem). */
    void load(const civ_xapian_lang *langs, size_t n, bool remember)
    {
        for (size_t i = 0; i < n; i++) {
            Entry e;
            if (langs[i].stemmer && langs[i].stemmer[0]) {
                if (remember) {
                    e.memo = new RememberingStem(langs[i].stemmer);
                    e.stem = Xapian::Stem(e.memo);
                } else {
                    e.stem = make_stem(langs[i].stemmer);
                }
            }
            if (langs[i].n_stopwords) {
                e.stopper.reset(new Xapian::SimpleStopper());
                for (size_t k = 0; k < langs[i].n_stopwords; k++)
                    e.stopper->add(langs[i].stopwords[k]);
            }
            e.cjk = langs[i].cjk != 0;
            e.elision = langs[i].elision != 0;
            e.stem_keeps_first = langs[i].stemmer && strcmp(langs[i].stemmer, "english") == 0;
            by_code[langs[i].code] = std::move(e);
            for (size_t k = 0; k < langs[i].n_stopwords; k++)
                common.insert(langs[i].stopwords[k]);
        }
        std::set<std::string> sorted(common.begin(), common.end());
        unsigned long long h = 14695981039346656037ULL; /* FNV-1a */
        for (const std::string &word : sorted)
            for (unsigned char c : word + '\n')
                h = (h ^ c) * 1099511628211ULL;
        char version[32];
        snprintf(version, sizeof version, "1-%016llx", h);
        pairs_version = version;
    }

    const Entry *find(const char *code) const
    {
        if (!code)
            return nullptr;
        auto it = by_code.find(code);
        return it == by_code.end() ? nullptr : &it->second;
    }
};

/* Word pairs (civ_xapian_writer_merge_words): the term of two adjacent
 * words, when both can make one. */
const char PAIR_PREFIX[] = "XW";
/* The records database's metadata key naming the stopword set its pairs
 * were made with (LangSet::pairs_version); empty or absent: no pairs. */
const char PAIRS_KEY[] = "civitas.pairs";
/* The longest term a glass database takes. */
const size_t MAX_TERM_BYTES = 245;

/* CJK n-grams are not words one after the other: phrases of them are
 * left to the passages. */
bool is_cjk(unsigned ch)
{
    return (ch >= 0x2E80 && ch <= 0xD7FF) || (ch >= 0xF900 && ch <= 0xFAFF) ||
           (ch >= 0xFE30 && ch <= 0xFE4F) || (ch >= 0xFF00 && ch <= 0xFFEF) ||
           (ch >= 0x20000 && ch <= 0x3FFFF);
}

/* Whether term is a word that can be half of a pair: no prefix (terms
 * with one start with an ASCII capital), no stopword of any language, no
 * CJK character. */
bool pairable(const LangSet &langs, const std::string &term)
{
    if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z') || langs.common.count(term))
        return false;
    for (Xapian::Utf8Iterator it(term); it != Xapian::Utf8Iterator(); ++it)
        if (is_cjk(*it))
            return false;
    return true;
}

/* The pair term of first and second, or "" when it would be too long. */
std::string pair_term(const std::string &first, const std::string &second)
{
    std::string term = PAIR_PREFIX + first + ' ' + second;
    return term.size() <= MAX_TERM_BYTES ? term : std::string();
}

/* Xapian keeps an apostrophe between letters inside the word, so French
 * "l'éducation" would be one term that "éducation" never matches. Replace
 * the apostrophe (' or U+2019) after an elided article or pronoun by a space,
 * in indexed text and in queries alike. */
std::string split_elisions(const std::string &in)
{
    std::string out;
    out.reserve(in.size());
    size_t word_start = 0;
    for (size_t i = 0; i < in.size();) {
        unsigned char c = static_cast<unsigned char>(in[i]);
        size_t apos_len = 0;
        if (c == '\'')
            apos_len = 1;
        else if (c == 0xE2 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
                 static_cast<unsigned char>(in[i + 2]) == 0x99)
            apos_len = 3;
        if (apos_len) {
            bool split = civ_snippet_elided(out.data() + word_start, out.size() - word_start);
            out += split ? std::string(" ") : in.substr(i, apos_len);
            i += apos_len;
            word_start = out.size();
            continue;
        }
        if (c < 0x80 && !isalnum(c))
            word_start = out.size() + 1;
        out += in[i++];
    }
    return out;
}

/* A parsed query over one of civ_xapian_query's caps. */
struct QueryTooComplex : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/* A query with characters in it but no word to search for: "(", "...". */
struct QueryWithoutWords : std::runtime_error {
    using std::runtime_error::runtime_error;
};

civ_status fail(civ_err *err)
{
    try {
        throw;
    } catch (const QueryTooComplex &e) {
        return civ_err_set(err, CIV_ERR_INPUT, "query too complex: %s", e.what());
    } catch (const QueryWithoutWords &e) {
        return civ_err_set(err, CIV_ERR_INPUT, "%s", e.what());
    } catch (const Xapian::DatabaseLockError &e) {
        return civ_err_set(err, CIV_ERR_LOCKED, "index is locked by another writer (%s)",
                           e.get_msg().c_str());
    } catch (const Xapian::DatabaseModifiedError &e) {
        return civ_err_set(err, CIV_ERR_MODIFIED, "index changed while reading: %s",
                           e.get_msg().c_str());
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return civ_err_set(err, CIV_ERR_NOTFOUND, "no index: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return civ_err_set(err, CIV_ERR_NOTFOUND, "cannot open index: %s", e.get_msg().c_str());
    } catch (const Xapian::QueryParserError &e) {
        return civ_err_set(err, CIV_ERR_INPUT, "malformed query: %s", e.get_msg().c_str());
    } catch (const Xapian::WildcardError &e) {
        return civ_err_set(err, CIV_ERR_INPUT, "wildcard matches too many terms: %s",
                           e.get_msg().c_str());
    } catch (const Xapian::DatabaseError &e) {
        /* DatabaseError covers I/O trouble: disk full, unreadable files. */
        return civ_err_set(err, CIV_ERR_IO, "index I/O error: %s%s%s", e.get_msg().c_str(),
                           e.get_error_string() ? ": " : "",
                           e.get_error_string() ? e.get_error_string() : "");
    } catch (const Xapian::Error &e) {
        return civ_err_set(err, CIV_ERR_XAPIAN, "%s: %s", e.get_type(), e.get_msg().c_str());
    } catch (const std::bad_alloc &) {
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return civ_err_set(err, CIV_ERR_INTERNAL, "unexpected error: %s", e.what());
    } catch (...) {
        return civ_err_set(err, CIV_ERR_INTERNAL, "unexpected error");
    }
}

/* A malloc'd NUL-terminated copy (C callers free() it). */
char *c_copy(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* A document's data: CIV_XAPIAN_DATA_SLOT, or Xapian's document data in
 * an index written before the data moved to the value. */
std::string doc_data(const Xapian::Document &d)
{
    std::string v = d.get_value(CIV_XAPIAN_DATA_SLOT);
    return v.empty() ? d.get_data() : v;
}

civ_status first_data(const Xapian::Database &db, const char *term, char **data, size_t *len,
                      civ_err *err)
{
    Xapian::PostingIterator it = db.postlist_begin(term);
    if (it == db.postlist_end(term))
        return civ_err_set(err, CIV_ERR_NOTFOUND, "no document with term %s", term);
    std::string d = doc_data(db.get_document(*it));
    *data = c_copy(d);
    if (len)
        *len = d.size();
    return CIV_OK;
}

/* Append the data of the documents with term to out, skipping offset,
 * at most limit of them in all (0: no limit). */
static void collect_datas(const Xapian::Database &db, const char *term, size_t offset, size_t limit,
                          std::vector<std::string> &out)
{
    size_t skipped = 0;
    for (Xapian::PostingIterator it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        if (skipped < offset) {
            skipped++;
            continue;
        }
        if (limit && out.size() >= limit)
            break;
        out.push_back(doc_data(db.get_document(*it)));
    }
}

/* strings as a malloc'd array of malloc'd C strings. */
static civ_status c_strings(const std::vector<std::string> &strings, char ***datas, size_t *n)
{
    char **arr = static_cast<char **>(calloc(strings.size() + 1, sizeof(char *)));
    if (!arr)
        throw std::bad_alloc();
    try {
        for (size_t i = 0; i < strings.size(); i++)
            arr[i] = c_copy(strings[i]);
    } catch (...) {
        civ_xapian_strings_free(arr, strings.size());
        throw;
    }
    *datas = arr;
    *n = strings.size();
    return CIV_OK;
}

civ_status term_datas(const Xapian::Database &db, const char *term, size_t offset, size_t limit,
                      char ***datas, size_t *n)
{
    std::vector<std::string> out;
    collect_datas(db, term, offset, limit, out);
    return c_strings(out, datas, n);
}

/* The packed facet value of every document of one database, in memory:
 * counting a match's facets then costs two array reads instead of a value
 * read (one to three microseconds, the more as matches are spread thin:
 * a third of a passage search over the General Debate speeches). Built
 * from the value stream in one sequential read, for one revision of one
 * database, and shared by every reader of the process at that revision. */
static const uint32_t NO_TUPLE = UINT32_MAX;
struct FacetColumn {
    std::vector<uint32_t> tuple;     /* docid -> index in tuples, or NO_TUPLE */
    std::vector<uint32_t> parent;    /* docid -> index in parents */
    std::vector<std::string> tuples; /* "v1\x1fv2...": facet values packed */
    std::vector<std::string> parents;
};

static std::mutex column_mutex;
/* uuid, revision and slot -> the column, while a reader holds it. */
static std::map<std::string, std::weak_ptr<const FacetColumn>> column_cache;

static std::shared_ptr<const FacetColumn> build_column(const Xapian::Database &part,
                                                       Xapian::valueno slot)
{
    auto c = std::make_shared<FacetColumn>();
    size_t size = static_cast<size_t>(part.get_lastdocid()) + 1;
    c->tuple.assign(size, NO_TUPLE);
    c->parent.assign(size, 0);
    std::unordered_map<std::string, uint32_t> tuple_ids, parent_ids;
    for (Xapian::ValueIterator it = part.valuestream_begin(slot); it != part.valuestream_end(slot);
         ++it) {
        Xapian::docid did = it.get_docid();
        std::string packed = *it;
        size_t end = packed.find('\x1f');
        if (did >= size || end == std::string::npos)
            continue;
        auto t = tuple_ids.emplace(packed.substr(end + 1), c->tuples.size());
        if (t.second)
            c->tuples.push_back(t.first->first);
        auto p = parent_ids.emplace(packed.substr(0, end), c->parents.size());
        if (p.second)
            c->parents.push_back(p.first->first);
        c->tuple[did] = t.first->second;
        c->parent[did] = p.first->second;
    }
    return c;
}

/* The column under key (uuid, revision and slot of part): from the
 * cache, or built. */
static std::shared_ptr<const FacetColumn> facet_column(const Xapian::Database &part,
                                                       const std::string &key, Xapian::valueno slot)
{
    std::lock_guard<std::mutex> lock(column_mutex);
    std::shared_ptr<const FacetColumn> c = column_cache[key].lock();
    if (c)
        return c;
    for (auto it = column_cache.begin(); it != column_cache.end();)
        it = it->second.expired() ? column_cache.erase(it) : std::next(it);
    c = build_column(part, slot);
    column_cache[key] = c;
    return c;
}

/* The part (index among the searched databases) whose documents the
 * matcher is on. */
struct PartPosition {
    int part = -1;
};

/* Matches no document; ORed into a query, it tells a FacetSpy which part
 * the matcher is on, since Xapian tells the spy only a candidate's docid
 * within its part. Xapian 1.4 matches the parts one after the other, and
 * moves a part's posting lists first when it starts on that part: the
 * marker then records the part and ends, and the OR drops it, so the
 * candidates pay nothing for it. (Filtered into the query instead, a
 * marker was consulted for every candidate: a fifth of a passage search
 * for a word in a quarter of the speeches' passages.) */
class PartMarker : public Xapian::PostingSource
{
    std::shared_ptr<PartPosition> pos_;
    std::shared_ptr<const std::vector<std::string>> uuids_;
    int part_ = -1;
    bool ended_ = false;

    void enter()
    {
        pos_->part = part_;
        ended_ = true;
    }

  public:
    PartMarker(std::shared_ptr<PartPosition> pos,
               std::shared_ptr<const std::vector<std::string>> uuids)
        : pos_(std::move(pos)), uuids_(std::move(uuids))
    {
    }
    PartMarker *clone() const override
    {
        return new PartMarker(pos_, uuids_);
    }
    void init(const Xapian::Database &db) override
    {
        std::string uuid = db.get_uuid();
        part_ = -1;
        for (size_t k = 0; k < uuids_->size(); k++)
            if ((*uuids_)[k] == uuid)
                part_ = static_cast<int>(k);
        ended_ = false;
    }
    Xapian::doccount get_termfreq_min() const override
    {
        return 0;
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return 0;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return 0;
    }
    void next(double) override
    {
        enter();
    }
    void skip_to(Xapian::docid, double) override
    {
        enter();
    }
    bool check(Xapian::docid, double) override
    {
        enter();
        return true;
    }
    bool at_end() const override
    {
        return ended_;
    }
    Xapian::docid get_docid() const override
    {
        return 0;
    }
    std::string get_description() const override
    {
        return "PartMarker";
    }
};

/* Thrown by FacetSpy out of get_mset when a candidate's part is not known:
 * the match runs again, reading values. */
struct PartUnknown {
};

/* Facets that count documents, not passages: for every facet slot, the
 * number of distinct values of the "distinct" slot (the parent document id)
 * per facet value, and the number of distinct parents overall. One spy reads
 * the parent once per match and interns it, so the per-value sets hold
 * small integers. Without a distinct slot (matches that are documents
 * already: records), it counts matches per value of the packed slot. Given
 * the searched databases' FacetColumns and the PartPosition of a
 * PartMarker, it reads the packed slot from the columns. */
class FacetSpy : public Xapian::MatchSpy
{
    std::vector<Xapian::valueno> slots_;
    int distinct_slot_; /* -1: count matches (packed_slot_ is then set) */
    int packed_slot_;   /* -1, or the slot holding "parent\x1fv1\x1fv2..." */
    std::unordered_map<std::string, unsigned> parents_;
    unsigned matches_ = 0; /* matches seen */
    /* Unpacked: per facet, the parents seen with each value. */
    std::vector<std::unordered_map<std::string, std::unordered_set<uint64_t>>> seen_;
    /* Packed: per tuple of facet values ("v1\x1fv2..."), the matches or
     * the parents seen with it. Far fewer tuples than matches: a match
     * costs one lookup, and the tuples are split into facets once, in
     * counts(). */
    std::unordered_map<std::string, unsigned> tuple_matches_;
    std::unordered_map<std::string, std::unordered_set<uint64_t>> tuple_parents_;
    std::string last_packed_;
    /* From the columns, per part: matches per tuple index, and (tuple
     * index << 32 | parent index) pairs; parents seen, as a bitmap. A
     * parent's key is (part << 32 | parent index). */
    std::vector<std::shared_ptr<const FacetColumn>> columns_;
    std::shared_ptr<const PartPosition> pos_;
    std::vector<std::vector<unsigned>> column_matches_;
    std::vector<std::unordered_set<uint64_t>> column_pairs_;
    std::vector<std::vector<bool>> column_parents_;
    unsigned column_distinct_ = 0;
    uint64_t last_pair_ = UINT64_MAX;
    int last_part_ = -1;
    int seen_part_ = -1; /* the part and docid of the last match counted */
    Xapian::docid seen_did_ = 0;

    unsigned intern(const std::string &parent)
    {
        return parents_.emplace(parent, static_cast<unsigned>(parents_.size())).first->second;
    }

    /* Facet k's value in tuple, or "" . */
    static std::string tuple_value(const std::string &tuple, size_t k)
    {
        size_t start = 0;
        for (size_t i = 0; i < k; i++) {
            start = tuple.find('\x1f', start);
            if (start == std::string::npos)
                return std::string();
            start++;
        }
        size_t end = tuple.find('\x1f', start);
        return tuple.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }

    void count_from_columns(Xapian::docid did)
    {
        const PartPosition &at = *pos_;
        /* Within a part, candidates come in docid order: a docid not past
         * the last one means the marker missed a part. */
        if (at.part < 0 || static_cast<size_t>(at.part) >= columns_.size() ||
            (at.part == seen_part_ && did <= seen_did_))
            throw PartUnknown();
        seen_part_ = at.part;
        seen_did_ = did;
        size_t k = static_cast<size_t>(at.part);
        const FacetColumn &c = *columns_[k];
        if (did >= c.tuple.size())
            throw PartUnknown();
        uint32_t t = c.tuple[did];
        if (t == NO_TUPLE)
            return;
        if (distinct_slot_ < 0) {
            std::vector<unsigned> &m = column_matches_[k];
            if (m.empty())
                m.resize(c.tuples.size());
            m[t]++;
            return;
        }
        uint32_t p = c.parent[did];
        uint64_t pair = static_cast<uint64_t>(t) << 32 | p;
        /* A document's passages are seen one after another, mostly with
         * the same values: counted once. */
        if (pair == last_pair_ && at.part == last_part_)
            return;
        last_pair_ = pair;
        last_part_ = at.part;
        std::vector<bool> &seen = column_parents_[k];
        if (seen.empty())
            seen.resize(c.parents.size());
        if (!seen[p]) {
            seen[p] = true;
            column_distinct_++;
        }
        column_pairs_[k].insert(pair);
    }

  public:
    FacetSpy(const unsigned *slots, size_t n, int distinct_slot, int packed_slot)
        : slots_(slots, slots + n), distinct_slot_(distinct_slot), packed_slot_(packed_slot),
          seen_(n)
    {
    }
    /* Read the packed slot from columns, one per searched database, the
     * part of each candidate coming from pos. */
    void use_columns(std::vector<std::shared_ptr<const FacetColumn>> columns,
                     std::shared_ptr<const PartPosition> pos)
    {
        columns_ = std::move(columns);
        pos_ = std::move(pos);
        column_matches_.resize(columns_.size());
        column_pairs_.resize(columns_.size());
        column_parents_.resize(columns_.size());
    }
    void operator()(const Xapian::Document &doc, double) override
    {
        matches_++;
        if (packed_slot_ >= 0) {
            if (pos_) {
                count_from_columns(doc.get_docid());
                return;
            }
            /* One value read instead of one per facet: reading the value
             * streams is most of a search's time otherwise. */
            std::string packed = doc.get_value(static_cast<Xapian::valueno>(packed_slot_));
            size_t end = packed.find('\x1f');
            if (end == std::string::npos)
                return;
            if (distinct_slot_ < 0) {
                tuple_matches_[packed.substr(end + 1)]++;
                return;
            }
            /* A document's passages have consecutive ids and are seen in
             * id order, mostly with the same value: counted once. */
            if (packed == last_packed_)
                return;
            last_packed_ = packed;
            tuple_parents_[packed.substr(end + 1)].insert(intern(packed.substr(0, end)));
            return;
        }
        unsigned parent = intern(doc.get_value(static_cast<Xapian::valueno>(distinct_slot_)));
        for (size_t k = 0; k < slots_.size(); k++) {
            std::string v = doc.get_value(slots_[k]);
            if (!v.empty())
                seen_[k][v].insert(parent);
        }
    }
    /* After the match: what was counted by index into the columns is
     * counted by tuple, as without them. */
    void finish()
    {
        for (size_t k = 0; k < columns_.size(); k++) {
            const FacetColumn &c = *columns_[k];
            for (size_t t = 0; t < column_matches_[k].size(); t++)
                if (column_matches_[k][t])
                    tuple_matches_[c.tuples[t]] += column_matches_[k][t];
            for (uint64_t pair : column_pairs_[k])
                tuple_parents_[c.tuples[pair >> 32]].insert(static_cast<uint64_t>(k) << 32 |
                                                            (pair & UINT32_MAX));
        }
    }
    std::vector<std::pair<std::string, unsigned>> counts(size_t k) const
    {
        std::unordered_map<std::string, unsigned> matches;
        std::unordered_map<std::string, std::unordered_set<uint64_t>> parents = seen_[k];
        for (const auto &t : tuple_matches_) {
            std::string v = tuple_value(t.first, k);
            if (!v.empty())
                matches[v] += t.second;
        }
        for (const auto &t : tuple_parents_) {
            std::string v = tuple_value(t.first, k);
            if (!v.empty())
                parents[v].insert(t.second.begin(), t.second.end());
        }
        std::vector<std::pair<std::string, unsigned>> out;
        for (const auto &kv : parents)
            out.emplace_back(kv.first, static_cast<unsigned>(kv.second.size()));
        for (const auto &kv : matches)
            out.emplace_back(kv.first, kv.second);
        /* Ties in a stable order, whatever the hash table's. */
        std::sort(out.begin(), out.end());
        return out;
    }
    unsigned distinct() const
    {
        return static_cast<unsigned>(parents_.size()) + column_distinct_;
    }
    unsigned matches() const
    {
        return matches_;
    }
};

} /* namespace */

/* An index is a directory holding two glass databases, "passages" (every
 * document written by add and replace) and "records" (put_record), and a
 * Xapian stub file naming both, so that Xapian::Database(dir) and the
 * Xapian tools open them as one. Apart, a term's postings for the few
 * thousand records form their own short posting list: a match over records
 * reads only those, and each database grows at its end as it is written
 * (in one database, records interleaved with passages made a match over
 * records walk every passage posting in between; records in a docid range
 * of their own made every commit rewrite the head of each posting list). */
static const char PASSAGES_DB[] = "passages";
static const char RECORDS_DB[] = "records";
static const char STUB_FILE[] = "XAPIANDB";

static std::string sub_path(const std::string &dir, const char *name)
{
    return dir + "/" + name;
}

/* The databases of shard k: "passages" and "records" for shard 0,
 * "passages.k" and "records.k" after it. */
static std::string shard_name(const char *db, unsigned k)
{
    return k == 0 ? std::string(db) : std::string(db) + "." + std::to_string(k);
}

static bool file_exists(const std::string &path)
{
    struct stat sb;
    return stat(path.c_str(), &sb) == 0;
}

/* Shards in the index directory dir: those whose two databases exist,
 * counted from 0 up to the first missing. */
static unsigned count_shards(const std::string &dir)
{
    unsigned n = 0;
    while (n < CIV_XAPIAN_MAX_SHARDS &&
           file_exists(sub_path(dir, shard_name(PASSAGES_DB, n).c_str()) + "/iamglass") &&
           file_exists(sub_path(dir, shard_name(RECORDS_DB, n).c_str()) + "/iamglass"))
        n++;
    return n;
}

/* An index directory that is itself a glass database was built by an
 * older version (one database for records and passages). */
static civ_status check_layout(const std::string &dir, civ_err *err)
{
    if (!file_exists(sub_path(dir, "iamglass")))
        return CIV_OK;
    return civ_err_set(err, CIV_ERR_UNSUPPORTED,
                       "the index was built by an older version of Civitas: build a new index "
                       "in an empty directory (docs/OPERATIONS.md)");
}

/* Write the stub file naming the databases of the shards that exist,
 * atomically: a reader sees the old list or the new one. */
static void write_stub(const std::string &dir)
{
    std::string path = sub_path(dir, STUB_FILE), tmp = path + ".tmp";
    FILE *f = fopen(tmp.c_str(), "w");
    if (!f)
        throw Xapian::DatabaseCreateError("cannot write " + tmp + ": " + strerror(errno));
    bool ok = true;
    for (unsigned k = 0, n = count_shards(dir); k < n; k++)
        ok = fprintf(f, "glass %s\nglass %s\n", shard_name(PASSAGES_DB, k).c_str(),
                     shard_name(RECORDS_DB, k).c_str()) > 0 &&
             ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp.c_str(), path.c_str()) != 0)
        throw Xapian::DatabaseCreateError("cannot write " + path + ": " + strerror(errno));
}

/* The shards the stub file names (what a reader opens), 0 without one. */
static unsigned stub_shards(const std::string &dir)
{
    FILE *f = fopen(sub_path(dir, STUB_FILE).c_str(), "r");
    if (!f)
        return 0;
    char line[256];
    unsigned n = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "glass passages", 14) == 0)
            n++;
    fclose(f);
    return n;
}

struct civ_xapian_writer {
    Xapian::WritableDatabase db;      /* passages */
    Xapian::WritableDatabase records; /* records */
    LangSet langs;
    Xapian::TermGenerator tg;
    /* Words for the spelling dictionary not yet given to Xapian, with
     * their counts, and the unique terms of the records they came from,
     * one per line (see commit). */
    std::unordered_map<std::string, Xapian::termcount> spelling;
    std::string spelling_records;
    unsigned batches_since_spelling;
    /* Records get word pairs (civ_xapian_writer_merge_words). */
    bool pairs;
};

/* Batch commits hand the spelling dictionary its words every
 * SPELLING_BATCHES batches, or sooner past SPELLING_MAX_WORDS words: each
 * hand-over looks every word up in the spelling table and rewrites,
 * compressed, the word lists of the fragments new words touch; doing that
 * at every batch took 7% of indexing. The records whose words wait are
 * listed in the records database's metadata under SPELLING_PENDING,
 * committed with them, so a writer opened after a crash learns their
 * words again. */
static const unsigned SPELLING_BATCHES = 8;
static const size_t SPELLING_MAX_WORDS = 200000;
static const char SPELLING_PENDING[] = "civitas.spelling-pending";

/* Count the words among terms (those without a prefix: not starting with
 * an ASCII capital) for the spelling dictionary. */
static void learn_words(civ_xapian_writer *w, Xapian::TermIterator it, Xapian::TermIterator end)
{
    for (; it != end; ++it) {
        std::string term = *it;
        if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z') && it.get_wdf() > 0)
            w->spelling[term] += it.get_wdf();
    }
}

/* word without its accents, when that leaves only ASCII letters, digits
 * and hyphens ("educación" is "educacion"; "straße" none, ß is not an
 * accented s), into key; false when word has no accent or is not such a
 * word. A query typed without accents finds the word through the synonym
 * key -> word. */
static bool unaccented(const std::string &word, std::string &key)
{
    bool accented = false;
    for (unsigned char c : word)
        accented |= c >= 0x80;
    if (!accented)
        return false;
    gchar *nfd = g_utf8_normalize(word.data(), static_cast<gssize>(word.size()), G_NORMALIZE_NFD);
    if (!nfd)
        return false;
    key.clear();
    bool ok = true;
    for (const gchar *c = nfd; *c && ok; c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        if (g_unichar_type(u) == G_UNICODE_NON_SPACING_MARK)
            continue;
        ok = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-';
        key += static_cast<char>(u);
    }
    g_free(nfd);
    return ok && !key.empty();
}

/* Learn again the words of the records a crashed writer had not handed
 * over. A record since removed is skipped. */
static void recover_spelling(civ_xapian_writer *w)
{
    std::string pending = w->records.get_metadata(SPELLING_PENDING);
    for (size_t start = 0; start < pending.size();) {
        size_t end = pending.find('\n', start);
        if (end == std::string::npos)
            end = pending.size();
        std::string term = pending.substr(start, end - start);
        Xapian::PostingIterator p = w->records.postlist_begin(term);
        if (!term.empty() && p != w->records.postlist_end(term)) {
            learn_words(w, w->records.termlist_begin(*p), w->records.termlist_end(*p));
            w->spelling_records += term + '\n';
        }
        start = end + 1;
    }
}

struct civ_xapian_doc {
    Xapian::Document doc;
};

struct civ_xapian_reader {
    std::string path;
    /* Each database alone (their revisions and UUIDs): the passages of
     * shards 0..n-1, then their records. */
    std::vector<Xapian::Database> parts;
    Xapian::Database db;       /* all of them, searched as one */
    Xapian::Database passages; /* parts [0, n) */
    Xapian::Database records;  /* parts [n, 2n) */
    struct stat stub;          /* the stub file when they were opened */
    LangSet langs;
    unsigned long long reopens = 0;
    /* civ_xapian_reader_languages, as of reopen number languages_at. */
    std::vector<std::string> languages;
    std::vector<const char *> language_codes;
    std::vector<unsigned> language_counts;
    unsigned long long languages_at = ~0ULL;
    /* Per part, the facet column last used and its key (facet_column). */
    std::vector<std::shared_ptr<const FacetColumn>> columns;
    std::vector<std::string> column_keys;
    /* Whether every records database holds word pairs made with langs'
     * stopwords, as of reopen number pairs_at. */
    bool pairs = false;
    unsigned long long pairs_at = ~0ULL;
};

struct SnippetQueryFree {
    void operator()(civ_snippet_query *q) const
    {
        civ_snippet_query_free(q);
    }
};

struct civ_xapian_results {
    Xapian::MSet mset;
    Xapian::Query text_query; /* the words searched for, without filters */
    Xapian::Stem stem;
    RememberingStem *memo = nullptr; /* stem's implementation, kept alive by stem */
    bool stem_keeps_first = false;   /* LangSet::Entry::stem_keeps_first */
    bool cjk = false;
    bool elision = false;
    /* Built on the first snippet; null with xapian_snippets. */
    std::unique_ptr<civ_snippet_query, SnippetQueryFree> snippet_query;
    bool xapian_snippets = false; /* CJK n-grams or wildcards: MSet::snippet */
    std::vector<civ_xapian_hit> hits;
    std::vector<std::string> hit_data;
    std::vector<std::string> hit_keys;
    std::vector<std::vector<std::pair<std::string, unsigned>>> facet_counts;
    std::vector<std::vector<civ_xapian_facet_value>> facet_views;
    std::string suggestion;
    bool has_suggestion = false;
    bool positional = false;     /* not run: needs positions (civ_xapian_query.positionless) */
    unsigned distinct_total = 0; /* what civ_xapian_results_total reports */
    double seconds = 0;
};

/* ---- writer ------------------------------------------------------------ */

extern "C" civ_status civ_xapian_index_shards(const char *path, unsigned *n, civ_err *err)
{
    try {
        std::string dir(path);
        civ_status st = check_layout(dir, err);
        *n = st ? 0 : count_shards(dir);
        return st;
    } catch (...) {
        *n = 0;
        return fail(err);
    }
}

/* ---- compaction --------------------------------------------------------- */

/* Where a database is rewritten before it takes the database's place. */
static const char COMPACTING_SUFFIX[] = ".compacting";

/* Bytes in the files of dir (a glass database is one flat directory). */
static unsigned long long dir_bytes(const std::string &dir)
{
    unsigned long long sum = 0;
    DIR *d = opendir(dir.c_str());
    if (!d)
        return 0;
    while (struct dirent *e = readdir(d)) {
        struct stat sb;
        if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
            sum += static_cast<unsigned long long>(sb.st_size);
    }
    closedir(d);
    return sum;
}

/* Remove dir and the files in it, when it exists. */
static void remove_dir(const std::string &dir)
{
    DIR *d = opendir(dir.c_str());
    if (!d)
        return;
    while (struct dirent *e = readdir(d))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
    rmdir(dir.c_str());
}

/* Xapian's compactor writes a database anew with its blocks full and in
 * order: batch commits leave glass tables about 40% larger than their
 * content, and a search reads more blocks for it. The shard's write locks
 * are held throughout, so no indexer writes it meanwhile. Each database
 * is compacted into a new directory, which then swaps places with it in
 * one rename: a reader holding the old files reads them to the end (they
 * are unlinked, not overwritten), and the rewritten stub file makes every
 * reader open the new ones on its next request. */
extern "C" civ_status civ_xapian_compact(const char *path, unsigned shard,
                                         unsigned long long *before, unsigned long long *after,
                                         civ_err *err)
{
    *before = *after = 0;
    try {
        std::string dir(path);
        civ_status st = check_layout(dir, err);
        if (st)
            return st;
        if (shard >= count_shards(dir))
            return civ_err_set(err, CIV_ERR_NOTFOUND, "%s has no shard %u", path, shard);
        const std::string names[] = {sub_path(dir, shard_name(PASSAGES_DB, shard).c_str()),
                                     sub_path(dir, shard_name(RECORDS_DB, shard).c_str())};
        const int flags = Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS;
        Xapian::WritableDatabase locks[] = {Xapian::WritableDatabase(names[0], flags),
                                            Xapian::WritableDatabase(names[1], flags)};
        for (const std::string &db : names) {
            std::string tmp = db + COMPACTING_SUFFIX;
            remove_dir(tmp); /* left by an interrupted compaction */
            *before += dir_bytes(db);
            try {
                /* The same document ids: a reader's results stay valid. */
                Xapian::Database(db).compact(tmp, Xapian::DBCOMPACT_NO_RENUMBER);
            } catch (...) {
                remove_dir(tmp); /* a partial copy (disk full): the index is as it was */
                throw;
            }
            if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, db.c_str(), RENAME_EXCHANGE) != 0) {
                int e = errno;
                remove_dir(tmp);
                return civ_err_set(err, CIV_ERR_IO, "cannot put %s in place: %s", db.c_str(),
                                   strerror(e));
            }
            remove_dir(tmp); /* the old files: gone once no reader holds them */
            *after += dir_bytes(db);
        }
        write_stub(dir);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_open(const char *path, unsigned shard,
                                             const civ_xapian_lang *langs, size_t n_langs,
                                             civ_xapian_writer **out, civ_err *err)
{
    *out = nullptr;
    try {
        std::string dir(path);
        civ_status st = check_layout(dir, err);
        if (st)
            return st;
        if (shard >= CIV_XAPIAN_MAX_SHARDS || shard > count_shards(dir))
            return civ_err_set(err, CIV_ERR_INPUT, "%s has no shard %u", path, shard);
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return civ_err_set(err, CIV_ERR_IO, "cannot create %s: %s", path, strerror(errno));
        const int flags = Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS;
        /* The passages database's lock is the shard's: a second writer
         * stops here. */
        Xapian::WritableDatabase passages(sub_path(dir, shard_name(PASSAGES_DB, shard).c_str()),
                                          flags);
        Xapian::WritableDatabase records(sub_path(dir, shard_name(RECORDS_DB, shard).c_str()),
                                         flags);
        if (stub_shards(dir) <= shard)
            write_stub(dir);
        std::unique_ptr<civ_xapian_writer> w(new civ_xapian_writer{
            passages, records, LangSet(), Xapian::TermGenerator(), {}, {}, 0, false});
        w->langs.load(langs, n_langs, false);
        w->tg.set_database(w->db);
        recover_spelling(w.get());
        /* All changes happen inside flushed transactions, so closing the
         * handle without a commit discards them instead of committing them
         * (which is what Xapian does on close outside a transaction). */
        w->db.begin_transaction(true);
        w->records.begin_transaction(true);
        /* Records made with this version's stopwords get word pairs (see
         * civ_xapian_writer_word_pairs). Pairs made with other stopwords
         * are named no more: the records this writer adds have none, and
         * a reader of those stopwords (an older daemon) must not trust
         * the pairs to find every phrase. */
        std::string pairs = w->records.get_metadata(PAIRS_KEY);
        w->pairs = pairs == w->langs.pairs_version;
        if (!w->pairs && !pairs.empty())
            w->records.set_metadata(PAIRS_KEY, std::string());
        *out = w.release();
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" void civ_xapian_writer_close(civ_xapian_writer *w)
{
    try {
        /* The open transaction is cancelled with the handle: what was not
         * committed is dropped, never half-written. */
        delete w;
    } catch (...) {
        /* Nothing to report to: the handle is gone either way. */
    }
}

/* whole: hand the spelling dictionary every word waiting. */
static civ_status commit(civ_xapian_writer *w, bool whole, civ_err *err)
{
    try {
        if (whole || ++w->batches_since_spelling >= SPELLING_BATCHES ||
            w->spelling.size() >= SPELLING_MAX_WORDS) {
            std::string key;
            for (const auto &word : w->spelling) {
                w->records.add_spelling(word.first, word.second);
                if (unaccented(word.first, key))
                    w->records.add_synonym(key, word.first);
            }
            w->spelling.clear();
            w->spelling_records.clear();
            w->batches_since_spelling = 0;
        }
        w->records.set_metadata(SPELLING_PENDING, w->spelling_records);
        /* Passages first: a crash between the two commits leaves records
         * older than their passages, and the next run re-indexes those
         * files (their record does not show the new version). */
        w->db.commit_transaction();
        w->records.commit_transaction();
        w->db.begin_transaction(true);
        w->records.begin_transaction(true);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_commit(civ_xapian_writer *w, civ_err *err)
{
    return commit(w, true, err);
}

extern "C" civ_status civ_xapian_writer_commit_batch(civ_xapian_writer *w, civ_err *err)
{
    return commit(w, false, err);
}

extern "C" civ_status civ_xapian_writer_replace(civ_xapian_writer *w, const char *unique_term,
                                                const civ_xapian_doc *doc, civ_err *err)
{
    try {
        w->db.replace_document(unique_term, doc->doc);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_put_record(civ_xapian_writer *w, const char *unique_term,
                                                   const civ_xapian_doc *doc, civ_err *err)
{
    try {
        w->records.replace_document(unique_term, doc->doc);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_add(civ_xapian_writer *w, const civ_xapian_doc *doc,
                                            civ_err *err)
{
    try {
        w->db.add_document(doc->doc);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_delete(civ_xapian_writer *w, const char *term, civ_err *err)
{
    try {
        w->db.delete_document(term);
        w->records.delete_document(term);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_set_data(civ_xapian_writer *w, const char *unique_term,
                                                 const char *data, size_t len, civ_err *err)
{
    try {
        for (Xapian::WritableDatabase *db : {&w->records, &w->db}) {
            Xapian::PostingIterator it = db->postlist_begin(unique_term);
            if (it == db->postlist_end(unique_term))
                continue;
            Xapian::Document doc = db->get_document(*it);
            doc.set_data(std::string());
            doc.add_value(CIV_XAPIAN_DATA_SLOT, std::string(data, len));
            db->replace_document(*it, doc);
            return CIV_OK;
        }
        return civ_err_set(err, CIV_ERR_NOTFOUND, "no document with %s", unique_term);
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_get_data(civ_xapian_writer *w, const char *term,
                                                 char **data, size_t *len, civ_err *err)
{
    *data = nullptr;
    try {
        civ_status st = first_data(w->records, term, data, len, err);
        return st == CIV_ERR_NOTFOUND ? first_data(w->db, term, data, len, err) : st;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_term_datas(civ_xapian_writer *w, const char *term,
                                                   char ***datas, size_t *n, civ_err *err)
{
    *datas = nullptr;
    *n = 0;
    try {
        /* The records' first, then the passages'. */
        std::vector<std::string> out;
        collect_datas(w->records, term, 0, 0, out);
        collect_datas(w->db, term, 0, 0, out);
        return c_strings(out, datas, n);
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_doccount(civ_xapian_writer *w, unsigned *count,
                                                 civ_err *err)
{
    try {
        *count = w->db.get_doccount() + w->records.get_doccount();
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" void civ_xapian_strings_free(char **strings, size_t n)
{
    if (!strings)
        return;
    for (size_t i = 0; i < n; i++)
        free(strings[i]);
    free(strings);
}

extern "C" civ_xapian_doc *civ_xapian_doc_new(void)
{
    try {
        return new civ_xapian_doc();
    } catch (...) {
        return nullptr;
    }
}

extern "C" void civ_xapian_doc_free(civ_xapian_doc *doc)
{
    try {
        delete doc;
    } catch (...) {
    }
}

extern "C" civ_status civ_xapian_doc_add_boolean(civ_xapian_doc *doc, const char *term,
                                                 civ_err *err)
{
    try {
        /* Xapian's limit on a term is 245 bytes; a longer metadata value
         * cannot be a useful filter anyway. */
        std::string t(term);
        if (t.size() > 240)
            t.resize(240);
        doc->doc.add_boolean_term(t);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_index_text(civ_xapian_writer *w, civ_xapian_doc *doc,
                                                   const char *lang, const char *text, size_t len,
                                                   const char *prefix, unsigned wdf_inc,
                                                   int positions, int spelling, civ_err *err)
{
    try {
        const LangSet::Entry *e = w->langs.find(lang);
        Xapian::TermGenerator &tg = w->tg;
        tg.set_document(doc->doc);
        tg.set_stemmer(e ? e->stem : Xapian::Stem());
        tg.set_stopper(e ? e->stopper.get() : nullptr);
        /* STOP_STEMMED keeps stopwords' unstemmed, positional terms, so a
         * phrase like "right to education" still needs the "to". */
        tg.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
        int flags = Xapian::TermGenerator::FLAG_CJK_NGRAM;
        if (spelling)
            flags |= Xapian::TermGenerator::FLAG_SPELLING;
        tg.set_flags(flags);
        std::string t(text, len);
        if (e && e->elision)
            t = split_elisions(t);
        std::string p(prefix ? prefix : "");
        if (positions)
            tg.index_text(t, wdf_inc, p);
        else
            tg.index_text_without_positions(t, wdf_inc, p);
        /* Separate texts so a phrase cannot span title and body. */
        if (positions)
            tg.increase_termpos(100);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_doc_set_value(civ_xapian_doc *doc, unsigned slot,
                                               const char *value, size_t len, civ_err *err)
{
    try {
        doc->doc.add_value(slot, std::string(value, len));
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_doc_set_number(civ_xapian_doc *doc, unsigned slot, double number,
                                                civ_err *err)
{
    try {
        doc->doc.add_value(slot, Xapian::sortable_serialise(number));
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_doc_merge_terms(civ_xapian_doc *into, const civ_xapian_doc *from,
                                                 civ_err *err)
{
    try {
        for (Xapian::TermIterator it = from->doc.termlist_begin(); it != from->doc.termlist_end();
             ++it)
            into->doc.add_term(*it, it.get_wdf());
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_merge_words(civ_xapian_writer *w, civ_xapian_doc *into,
                                                    const civ_xapian_doc *from, civ_err *err)
{
    try {
        /* (position, word) of every pairable word, in position order; a
         * word and the one at the next position make a pair. */
        std::vector<std::string> words;
        std::vector<std::pair<Xapian::termpos, size_t>> at;
        for (Xapian::TermIterator it = from->doc.termlist_begin(); it != from->doc.termlist_end();
             ++it) {
            std::string term = *it;
            into->doc.add_term(term, it.get_wdf());
            if (!w->pairs || it.positionlist_count() == 0 || !pairable(w->langs, term))
                continue;
            words.push_back(term);
            for (Xapian::PositionIterator p = it.positionlist_begin(); p != it.positionlist_end();
                 ++p)
                at.emplace_back(*p, words.size() - 1);
        }
        std::sort(at.begin(), at.end());
        for (size_t i = 0; i < at.size(); i++)
            for (size_t j = i + 1; j < at.size() && at[j].first <= at[i].first + 1; j++) {
                if (at[j].first != at[i].first + 1)
                    continue;
                std::string pair = pair_term(words[at[i].second], words[at[j].second]);
                if (!pair.empty())
                    into->doc.add_term(pair);
            }
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_word_pairs(civ_xapian_writer *w, int *on, civ_err *err)
{
    try {
        /* Only an empty records database can promise that every record
         * it will hold has its pairs. */
        if (!w->pairs && w->records.get_doccount() == 0) {
            w->records.set_metadata(PAIRS_KEY, w->langs.pairs_version);
            w->pairs = true;
        }
        *on = w->pairs ? 1 : 0;
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_writer_add_spelling(civ_xapian_writer *w,
                                                     const civ_xapian_doc *doc,
                                                     const char *record_term, civ_err *err)
{
    try {
        learn_words(w, doc->doc.termlist_begin(), doc->doc.termlist_end());
        w->spelling_records += record_term;
        w->spelling_records += '\n';
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_doc_set_data(civ_xapian_doc *doc, const char *data, size_t len,
                                              civ_err *err)
{
    try {
        doc->doc.add_value(CIV_XAPIAN_DATA_SLOT, std::string(data, len));
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

/* ---- reader ------------------------------------------------------------ */

/* Open the databases the stub names (passages, then records, shard by
 * shard), or the first shard's when there is no stub yet. */
static void open_parts(civ_xapian_reader *r)
{
    if (stat(sub_path(r->path, STUB_FILE).c_str(), &r->stub) != 0)
        memset(&r->stub, 0, sizeof r->stub);
    unsigned n = std::max(1u, stub_shards(r->path));
    std::vector<Xapian::Database> parts;
    Xapian::Database db, passages, records;
    for (const char *name : {PASSAGES_DB, RECORDS_DB})
        for (unsigned k = 0; k < n; k++) {
            parts.emplace_back(sub_path(r->path, shard_name(name, k).c_str()));
            db.add_database(parts.back());
            (name == PASSAGES_DB ? passages : records).add_database(parts.back());
        }
    r->parts.swap(parts);
    r->db = db;
    r->passages = passages;
    r->records = records;
}

/* The databases a query of part searches, and the first of r->parts
 * among them (the others follow it in order). */
static const Xapian::Database &part_db(const civ_xapian_reader *r, civ_xapian_part part,
                                       size_t *first_part)
{
    size_t n = r->parts.size() / 2;
    switch (part) {
    case CIV_XAPIAN_PASSAGES:
        *first_part = 0;
        return r->passages;
    case CIV_XAPIAN_RECORDS:
        *first_part = n;
        return r->records;
    default:
        *first_part = 0;
        return r->db;
    }
}

/* Whether the stub file changed since the reader opened (a shard was
 * added while the index was being created). */
static bool stub_changed(const civ_xapian_reader *r)
{
    struct stat sb;
    if (stat(sub_path(r->path, STUB_FILE).c_str(), &sb) != 0)
        memset(&sb, 0, sizeof sb);
    return sb.st_ino != r->stub.st_ino || sb.st_size != r->stub.st_size ||
           sb.st_mtim.tv_sec != r->stub.st_mtim.tv_sec ||
           sb.st_mtim.tv_nsec != r->stub.st_mtim.tv_nsec;
}

extern "C" civ_status civ_xapian_reader_open(const char *path, const civ_xapian_lang *langs,
                                             size_t n_langs, civ_xapian_reader **out, civ_err *err)
{
    *out = nullptr;
    try {
        std::unique_ptr<civ_xapian_reader> r(new civ_xapian_reader());
        r->path = path;
        civ_status st = check_layout(r->path, err);
        if (st)
            return st;
        open_parts(r.get());
        r->langs.load(langs, n_langs, true);
        *out = r.release();
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" void civ_xapian_reader_close(civ_xapian_reader *r)
{
    try {
        delete r;
    } catch (...) {
    }
}

/* The index's revision: it grows with every commit of any database.
 * r->parts share r->db's state, so they follow its reopen. */
static unsigned long long revision(const civ_xapian_reader *r)
{
    unsigned long long sum = 0;
    for (const Xapian::Database &part : r->parts)
        sum += part.get_revision();
    return sum;
}

static bool reopen(civ_xapian_reader *r)
{
    unsigned long long before = revision(r);
    bool reopened = stub_changed(r);
    if (reopened)
        open_parts(r);
    else
        r->db.reopen();
    bool changed = reopened || revision(r) != before;
    if (changed)
        r->reopens++;
    return changed;
}

/* Run body, and once more after a reopen if the index moved under it.
 * A document that a posting list or a match of this same reader named,
 * then not found, also means the index moved: the revision being read was
 * overwritten by a writer's next commits, which Xapian does not always
 * report as DatabaseModifiedError (seen as "DocNotFoundError: Document 142
 * not found" on a search while civitas-index committed every file). Twice
 * in a row it is reported as the index changing (CIV_ERR_MODIFIED: the
 * daemon retries the search, then answers 503), not as a fault. */
template <typename F> static civ_status with_retry(civ_xapian_reader *r, civ_err *err, F body)
{
    try {
        try {
            return body();
        } catch (const Xapian::DatabaseModifiedError &) {
        } catch (const Xapian::DocNotFoundError &) {
        }
        reopen(r);
        return body();
    } catch (const Xapian::DocNotFoundError &e) {
        return civ_err_set(err, CIV_ERR_MODIFIED, "index changed while reading: %s",
                           e.get_msg().c_str());
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_reader_reopen(civ_xapian_reader *r, int *changed, civ_err *err)
{
    try {
        bool c = reopen(r);
        if (changed)
            *changed = c ? 1 : 0;
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" unsigned long long civ_xapian_reader_reopens(const civ_xapian_reader *r)
{
    return r->reopens;
}

extern "C" civ_status civ_xapian_reader_stats(civ_xapian_reader *r, civ_xapian_stats *stats,
                                              civ_err *err)
{
    return with_retry(r, err, [&]() {
        stats->revision = revision(r);
        stats->doccount = r->db.get_doccount();
        stats->reopens = r->reopens;
        return CIV_OK;
    });
}

extern "C" civ_status civ_xapian_reader_version(civ_xapian_reader *r,
                                                char version[CIV_XAPIAN_VERSION_MAX], civ_err *err)
{
    return with_retry(r, err, [&]() {
        /* The UUIDs of the first and the last database name the index (a
         * rebuilt or re-sharded one has others); the revision sums every
         * database's, and a hash of each one's in order tells apart two
         * states with the same sum (one more commit in one shard, or in
         * another: readers that reopened at different moments). */
        unsigned long long each = 14695981039346656037ULL; /* FNV-1a */
        for (const Xapian::Database &part : r->parts) {
            unsigned long long rev = part.get_revision();
            for (int b = 0; b < 8; b++, rev >>= 8)
                each = (each ^ (rev & 0xff)) * 1099511628211ULL;
        }
        snprintf(version, CIV_XAPIAN_VERSION_MAX, "%s %s %llu %zu %016llx",
                 r->parts.front().get_uuid().c_str(), r->parts.back().get_uuid().c_str(),
                 revision(r), r->parts.size(), each);
        return CIV_OK;
    });
}

extern "C" civ_status civ_xapian_reader_get_data(civ_xapian_reader *r, const char *term,
                                                 char **data, size_t *len, civ_err *err)
{
    *data = nullptr;
    return with_retry(r, err, [&]() { return first_data(r->db, term, data, len, err); });
}

extern "C" civ_status civ_xapian_reader_term_datas(civ_xapian_reader *r, const char *term,
                                                   size_t offset, size_t limit, char ***datas,
                                                   size_t *n, civ_err *err)
{
    *datas = nullptr;
    *n = 0;
    return with_retry(r, err, [&]() { return term_datas(r->db, term, offset, limit, datas, n); });
}

extern "C" civ_status civ_xapian_reader_doc_terms(civ_xapian_reader *r, const char *unique_term,
                                                  char ***terms, size_t *n, civ_err *err)
{
    *terms = nullptr;
    *n = 0;
    return with_retry(r, err, [&]() {
        Xapian::PostingIterator it = r->db.postlist_begin(unique_term);
        if (it == r->db.postlist_end(unique_term))
            return civ_err_set(err, CIV_ERR_NOTFOUND, "no document with term %s", unique_term);
        Xapian::Document d = r->db.get_document(*it);
        std::vector<std::string> all;
        for (Xapian::TermIterator t = d.termlist_begin(); t != d.termlist_end(); ++t)
            all.push_back(*t);
        char **arr = static_cast<char **>(calloc(all.size() + 1, sizeof(char *)));
        if (!arr)
            throw std::bad_alloc();
        size_t k = 0;
        try {
            for (; k < all.size(); k++)
                arr[k] = c_copy(all[k]);
        } catch (...) {
            civ_xapian_strings_free(arr, k);
            throw;
        }
        *terms = arr;
        *n = all.size();
        return CIV_OK;
    });
}

extern "C" civ_status civ_xapian_reader_languages(civ_xapian_reader *r, const char *const **codes,
                                                  const unsigned **counts, size_t *n, civ_err *err)
{
    civ_status st = with_retry(r, err, [&]() {
        if (r->languages_at == r->reopens)
            return CIV_OK;
        r->languages.clear();
        r->language_counts.clear();
        for (Xapian::TermIterator it = r->db.allterms_begin("L"); it != r->db.allterms_end("L");
             ++it) {
            r->languages.push_back((*it).substr(1));
            r->language_counts.push_back(it.get_termfreq());
        }
        r->language_codes.clear();
        for (const std::string &code : r->languages)
            r->language_codes.push_back(code.c_str());
        r->languages_at = r->reopens;
        return CIV_OK;
    });
    bool ok = st == CIV_OK;
    *codes = ok ? r->language_codes.data() : nullptr;
    *counts = ok ? r->language_counts.data() : nullptr;
    *n = ok ? r->language_codes.size() : 0;
    return st;
}

extern "C" civ_status civ_xapian_reader_term_count(civ_xapian_reader *r, const char *term,
                                                   unsigned *count, civ_err *err)
{
    return with_retry(r, err, [&]() {
        *count = r->db.get_termfreq(term);
        return CIV_OK;
    });
}

static bool needs_colon(const char *prefix, size_t plen, const char *value)
{
    return plen > 1 && prefix[plen - 1] != ':' &&
           ((value[0] >= 'A' && value[0] <= 'Z') || value[0] == ':');
}

extern "C" char *civ_xapian_term(const char *prefix, const char *value)
{
    size_t plen = strlen(prefix), vlen = strlen(value);
    size_t colon = needs_colon(prefix, plen, value);
    char *term = static_cast<char *>(malloc(plen + colon + vlen + 1));
    if (!term)
        return nullptr;
    memcpy(term, prefix, plen);
    if (colon)
        term[plen] = ':';
    memcpy(term + plen + colon, value, vlen + 1);
    return term;
}

/* The value of a filter term: what follows its prefix and the colon
 * civ_xapian_term puts before a value starting with a capital. */
static const char *term_value(const char *term, size_t prefix_len)
{
    const char *v = term + prefix_len;
    return *v == ':' ? v + 1 : v;
}

static bool ascii_iequal(const char *a, const char *b)
{
    auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
    for (; *a && *b; a++, b++) {
        if (lower(static_cast<unsigned char>(*a)) != lower(static_cast<unsigned char>(*b)))
            return false;
    }
    return *a == *b;
}

/* Into ors: term if db holds it; else, when fold_prefix is given, every
 * term under that prefix whose value equals term's ignoring ASCII case.
 * None found: term itself, which matches nothing. */
static void add_filter_term(const Xapian::Database &db, const char *term, const char *fold_prefix,
                            std::vector<Xapian::Query> &ors)
{
    if (fold_prefix && !db.term_exists(term)) {
        size_t plen = strlen(fold_prefix);
        const char *want = term_value(term, plen);
        size_t before = ors.size();
        for (auto t = db.allterms_begin(fold_prefix); t != db.allterms_end(fold_prefix); ++t) {
            std::string found = *t;
            if (ascii_iequal(term_value(found.c_str(), plen), want))
                ors.emplace_back(found);
        }
        if (ors.size() > before)
            return;
    }
    ors.emplace_back(term);
}

/* field:value of a fold_case field, as add_filter_term finds it. */
class FoldedField : public Xapian::FieldProcessor
{
  public:
    FoldedField(const Xapian::Database &db, const char *prefix) : db_(db), prefix_(prefix)
    {
    }

    Xapian::Query operator()(const std::string &value) override
    {
        std::unique_ptr<char, decltype(&free)> term(civ_xapian_term(prefix_, value.c_str()), free);
        if (!term)
            throw std::bad_alloc();
        std::vector<Xapian::Query> ors;
        add_filter_term(db_, term.get(), prefix_, ors);
        return Xapian::Query(Xapian::Query::OP_OR, ors.begin(), ors.end());
    }

  private:
    Xapian::Database db_;
    const char *prefix_;
};

/* The AND of q's filter groups and ranges; Query() when there are none.
 * *nothing is set when a range is empty (lo > hi): Xapian turns such a
 * range into Query(), which inside an AND would silently drop every
 * other filter instead of matching nothing. */
static Xapian::Query build_filter(const Xapian::Database &db, const civ_xapian_query *q,
                                  bool *nothing)
{
    *nothing = false;
    std::vector<Xapian::Query> ands;
    for (size_t i = 0; i < q->n_filters; i++) {
        const civ_xapian_filter &f = q->filters[i];
        std::vector<Xapian::Query> ors;
        for (size_t k = 0; k < f.n_terms; k++)
            add_filter_term(db, f.terms[k], f.fold_prefix, ors);
        ands.emplace_back(Xapian::Query::OP_OR, ors.begin(), ors.end());
    }
    for (size_t i = 0; i < q->n_ranges; i++) {
        const civ_xapian_range &rg = q->ranges[i];
        if (rg.lo && rg.hi && strcmp(rg.lo, rg.hi) > 0)
            *nothing = true;
        if (rg.lo && rg.hi)
            ands.emplace_back(Xapian::Query::OP_VALUE_RANGE, rg.slot, rg.lo, rg.hi);
        else if (rg.lo)
            ands.emplace_back(Xapian::Query::OP_VALUE_GE, rg.slot, rg.lo);
        else if (rg.hi)
            ands.emplace_back(Xapian::Query::OP_VALUE_LE, rg.slot, rg.hi);
    }
    if (ands.empty())
        return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, ands.begin(), ands.end());
}

/* What a parsed query asks of the matcher. The parser flattens nesting
 * ("((((a" is one term), so depth is bounded by the query's own shape;
 * the walk still stops descending past MAX_WALK_DEPTH, whatever built it. */
enum { MAX_WALK_DEPTH = 64 };

struct QueryShape {
    unsigned terms = 0, phrases = 0, wildcards = 0;
    unsigned passage_terms = 0; /* of a passages_only field */
};

/* Whether term belongs to one of q's fields with the given flag. */
static bool in_field(const std::string &term, const civ_xapian_query *q,
                     int civ_xapian_field::*flag)
{
    for (size_t i = 0; i < q->n_fields; i++) {
        const civ_xapian_field &f = q->fields[i];
        if (f.*flag && term.compare(0, strlen(f.prefix), f.prefix) == 0)
            return true;
    }
    return false;
}

static bool passages_only(const std::string &term, const civ_xapian_query *q)
{
    return in_field(term, q, &civ_xapian_field::passages_only);
}

/* Whether a query of type op can be built again from its subqueries alone:
 * an operator without a parameter (a window, a factor, a set size), not a
 * leaf. */
static bool rebuildable(Xapian::Query::op op)
{
    switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
        return true;
    default:
        return false;
    }
}

/* A phrase or NEAR group of terms indexed without positions (title:"human
 * rights") could never match: it becomes the AND of its terms, in *out.
 * Returns whether query changed (*out is then the new query). Other
 * nodes are rebuilt only on the way to such a group; a node whose
 * parameters the rebuild cannot carry over (a scaled weight, which the
 * parser puts only around boolean filters) is left as it is. */
static bool without_position_groups(const Xapian::Query &query, const civ_xapian_query *q,
                                    unsigned depth, Xapian::Query *out)
{
    if (depth >= MAX_WALK_DEPTH) /* check_shape refuses such a query */
        return false;
    Xapian::Query::op op = query.get_type();
    size_t n = query.get_num_subqueries();
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
        std::vector<Xapian::Query> terms;
        for (size_t i = 0; i < n; i++) {
            Xapian::Query sub = query.get_subquery(i);
            if (sub.get_type() != Xapian::Query::LEAF_TERM ||
                !in_field(*sub.get_terms_begin(), q, &civ_xapian_field::without_positions))
                return false;
            terms.push_back(sub);
        }
        *out = Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
        return true;
    }
    if (!rebuildable(op))
        return false;
    std::vector<Xapian::Query> subs(n);
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        subs[i] = query.get_subquery(i);
        changed |= without_position_groups(subs[i], q, depth + 1, &subs[i]);
    }
    if (changed)
        *out = Xapian::Query(op, subs.begin(), subs.end());
    return changed;
}

static void measure(const Xapian::Query &q, const civ_xapian_query *cq, unsigned depth,
                    QueryShape &shape)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        shape.terms++;
        if (passages_only(*q.get_terms_begin(), cq))
            shape.passage_terms++;
        return;
    case Xapian::Query::OP_WILDCARD:
        shape.wildcards++;
        return;
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        shape.phrases++;
        break;
    default:
        break;
    }
    if (depth >= MAX_WALK_DEPTH)
        throw QueryTooComplex("nested too deeply");
    size_t n = q.get_num_subqueries();
    for (size_t i = 0; i < n; i++)
        measure(q.get_subquery(i), cq, depth + 1, shape);
}

/* Whether a document search can answer a phrase of two words from r's
 * records (civ_xapian_writer_merge_words). */
static bool pairs_indexed(civ_xapian_reader *r)
{
    if (r->pairs_at != r->reopens) {
        size_t n = r->parts.size() / 2;
        r->pairs = n > 0;
        for (size_t k = n; k < r->parts.size(); k++)
            r->pairs = r->pairs && r->parts[k].get_metadata(PAIRS_KEY) == r->langs.pairs_version;
        r->pairs_at = r->reopens;
    }
    return r->pairs;
}

/* query as a match of records, in *out, when it is words and phrases of
 * two words that make a pair (the pair's term: a record holds it exactly
 * when one of its passages holds the phrase), alone or ORed: a document
 * then matches the records' way exactly when one of its passages matches.
 * Not so for an AND or a NOT: over the passages every word must be in the
 * phrase's passage, over the records anywhere in the document, as they
 * are for a query of words alone. */
static bool as_word_pairs(const Xapian::Query &query, const LangSet &langs, unsigned depth,
                          Xapian::Query *out)
{
    if (depth >= MAX_WALK_DEPTH)
        return false;
    Xapian::Query::op op = query.get_type();
    size_t n = query.get_num_subqueries();
    if (op == Xapian::Query::LEAF_TERM) {
        *out = query;
        return true;
    }
    if (op == Xapian::Query::OP_PHRASE) {
        if (n != 2)
            return false;
        std::string words[2];
        for (size_t i = 0; i < n; i++) {
            Xapian::Query sub = query.get_subquery(i);
            if (sub.get_type() != Xapian::Query::LEAF_TERM)
                return false;
            words[i] = *sub.get_terms_begin();
            if (!pairable(langs, words[i]))
                return false;
        }
        std::string pair = pair_term(words[0], words[1]);
        if (pair.empty())
            return false;
        *out = Xapian::Query(pair);
        return true;
    }
    if (op != Xapian::Query::OP_OR && op != Xapian::Query::OP_SYNONYM)
        return false;
    std::vector<Xapian::Query> subs(n);
    for (size_t i = 0; i < n; i++)
        if (!as_word_pairs(query.get_subquery(i), langs, depth + 1, &subs[i]))
            return false;
    *out = Xapian::Query(op, subs.begin(), subs.end());
    return true;
}

/* Refuse a parsed query over q's caps before any posting list is read:
 * Xapian's own time limit only stops the counting past check_at_least,
 * not the search for the best matches, which for a storm of phrases or
 * wildcards over a big index can take seconds of CPU. */
static void check_shape(const Xapian::Query &query, const civ_xapian_query *q, bool *positional)
{
    QueryShape shape;
    measure(query, q, 0, shape);
    *positional = shape.phrases > 0 || shape.passage_terms > 0;
    unsigned max_terms = q->max_terms ? q->max_terms : CIV_XAPIAN_DEFAULT_MAX_TERMS;
    unsigned max_phrases = q->max_phrases ? q->max_phrases : CIV_XAPIAN_DEFAULT_MAX_PHRASES;
    unsigned max_wildcards = q->max_wildcards ? q->max_wildcards : CIV_XAPIAN_DEFAULT_MAX_WILDCARDS;
    char msg[128];
    if (shape.phrases > max_phrases)
        snprintf(msg, sizeof msg, "%u phrase or NEAR groups (at most %u)", shape.phrases,
                 max_phrases);
    else if (shape.wildcards > max_wildcards)
        snprintf(msg, sizeof msg, "%u wildcards (at most %u)", shape.wildcards, max_wildcards);
    else if (shape.terms > max_terms)
        snprintf(msg, sizeof msg, "%u terms (at most %u)", shape.terms, max_terms);
    else
        return;
    throw QueryTooComplex(msg);
}

/* Thrown by DeadlineDecider out of get_mset. */
struct DeadlinePassed {
};

/* Accepts every document, and stops the match once the deadline has
 * passed: a match decider is consulted for every candidate, so this
 * bounds the whole match, not only the counting that
 * Enquire::set_time_limit cuts short. That one is not used as well: it
 * arms a POSIX timer per match (three system calls each, two or three
 * matches a search), and a match past the deadline is answered as too
 * slow either way. The clock is read every 64 candidates. */
class DeadlineDecider : public Xapian::MatchDecider
{
  public:
    explicit DeadlineDecider(std::chrono::steady_clock::time_point deadline) : deadline_(deadline)
    {
    }
    bool operator()(const Xapian::Document &) const override
    {
        if ((++calls_ & 63) == 0 && std::chrono::steady_clock::now() > deadline_)
            throw DeadlinePassed();
        return true;
    }

  private:
    std::chrono::steady_clock::time_point deadline_;
    mutable unsigned calls_ = 0;
};

/* Whether a word of query is in no document of db: a term, or each of a
 * word's synonyms ("educacion" or "educación"). */
static bool has_unknown_word(const Xapian::Database &db, const Xapian::Query &query)
{
    size_t n = query.get_num_subqueries();
    if (n == 0) {
        Xapian::TermIterator t = query.get_terms_begin();
        return t != query.get_terms_end() && query.get_type() == Xapian::Query::LEAF_TERM &&
               !db.term_exists(*t);
    }
    bool synonyms = query.get_type() == Xapian::Query::OP_SYNONYM;
    for (size_t i = 0; i < n; i++) {
        bool unknown = has_unknown_word(db, query.get_subquery(i));
        if (unknown && !synonyms)
            return true;
        if (!unknown && synonyms)
            return false;
    }
    return synonyms;
}

/* Into *out, query with each word of a quoted phrase that is in no
 * document of db replaced by it OR its synonyms, the words written like it
 * with accents ("securite" in "securite sociale": securite OR sécurité);
 * false when there is none. Xapian's automatic synonyms leave phrases
 * alone, and Xapian 1.4 takes an OR of terms in a phrase, not a synonym
 * group. A NEAR group is left as it is: its window cannot be read back to
 * build it again. */
static bool with_accented_phrases(const Xapian::Database &db, const Xapian::Query &query,
                                  unsigned depth, Xapian::Query *out)
{
    Xapian::Query::op op = query.get_type();
    if ((op != Xapian::Query::OP_PHRASE && !rebuildable(op)) || depth >= MAX_WALK_DEPTH)
        return false;
    size_t n = query.get_num_subqueries();
    std::vector<Xapian::Query> subs(n);
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        subs[i] = query.get_subquery(i);
        if (op != Xapian::Query::OP_PHRASE) {
            changed |= with_accented_phrases(db, subs[i], depth + 1, &subs[i]);
            continue;
        }
        if (subs[i].get_type() != Xapian::Query::LEAF_TERM)
            continue;
        std::string term = *subs[i].get_terms_begin();
        if (db.term_exists(term))
            continue;
        std::vector<Xapian::Query> forms{subs[i]};
        for (Xapian::TermIterator t = db.synonyms_begin(term); t != db.synonyms_end(term); ++t)
            forms.emplace_back(*t);
        if (forms.size() > 1) {
            subs[i] = Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end());
            changed = true;
        }
    }
    if (changed)
        *out = Xapian::Query(op, subs.begin(), subs.end());
    return changed;
}

/* The runs of a query (civ_xapian_run) located in the databases searched:
 * for each of them, its spans of docids, in docid order. */
struct RunSpan {
    Xapian::docid first, last;
    long run; /* index in civ_xapian_query.runs */
};
struct RunTable {
    std::vector<std::string> uuids;          /* of each database searched */
    std::vector<std::vector<RunSpan>> spans; /* of each database searched */
    Xapian::doccount total = 0;              /* documents in every span */

    /* The run holding docid did of database k, or -1. */
    long run_of(size_t k, Xapian::docid did) const
    {
        const std::vector<RunSpan> &v = spans[k];
        auto it = std::upper_bound(v.begin(), v.end(), did,
                                   [](Xapian::docid d, const RunSpan &sp) { return d < sp.first; });
        if (it == v.begin())
            return -1;
        --it;
        return did <= it->last ? it->run : -1;
    }
};

/* Locate each run: the database of parts [first, first + n) that holds
 * its first term, and the docid there. */
static std::shared_ptr<RunTable> locate_runs(const civ_xapian_reader *r, size_t first, size_t n,
                                             const civ_xapian_query *q)
{
    auto table = std::make_shared<RunTable>();
    size_t shards = r->parts.size() / 2;
    table->spans.resize(n);
    for (size_t k = 0; k < n; k++)
        table->uuids.push_back(r->parts[first + k].get_uuid());
    for (size_t i = 0; i < q->n_runs; i++) {
        const civ_xapian_run &run = q->runs[i];
        if (!run.first_term || run.count == 0)
            continue;
        for (size_t k = 0; k < n; k++) {
            /* A shard's passages database is the k-th of a passages
             * part, and comes k-th again after the records in the whole. */
            if (run.in_shard && k % shards != run.in_shard - 1)
                continue;
            const Xapian::Database &db = r->parts[first + k];
            Xapian::PostingIterator p = db.postlist_begin(run.first_term);
            if (p == db.postlist_end(run.first_term))
                continue;
            Xapian::docid did = *p;
            Xapian::docid last =
                did + std::min<Xapian::docid>(run.count - 1, db.get_lastdocid() - did);
            table->spans[k].push_back(RunSpan{did, last, static_cast<long>(i)});
            table->total += last - did + 1;
            break;
        }
    }
    for (std::vector<RunSpan> &v : table->spans)
        std::sort(v.begin(), v.end(),
                  [](const RunSpan &a, const RunSpan &b) { return a.first < b.first; });
    return table;
}

/* The docids of a RunTable's spans in the database being matched (known
 * by its UUID): a filter that reads no posting list and no value. */
class RunsSource : public Xapian::PostingSource
{
  public:
    explicit RunsSource(std::shared_ptr<const RunTable> table) : table_(std::move(table))
    {
    }

    RunsSource *clone() const override
    {
        return new RunsSource(table_);
    }

    void init(const Xapian::Database &db) override
    {
        static const std::vector<RunSpan> none;
        spans_ = &none;
        std::string uuid = db.get_uuid();
        for (size_t k = 0; k < table_->uuids.size(); k++)
            if (table_->uuids[k] == uuid)
                spans_ = &table_->spans[k];
        count_ = 0;
        for (const RunSpan &sp : *spans_)
            count_ += sp.last - sp.first + 1;
        i_ = 0;
        did_ = 0;
    }

    Xapian::doccount get_termfreq_min() const override
    {
        return 0;
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return count_;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return count_;
    }

    void next(double) override
    {
        if (did_ == 0)
            did_ = i_ < spans_->size() ? (*spans_)[i_].first : 0;
        else if (++did_ > (*spans_)[i_].last && ++i_ < spans_->size())
            did_ = (*spans_)[i_].first;
    }

    void skip_to(Xapian::docid did, double) override
    {
        if (did_ == 0)
            next(0);
        while (i_ < spans_->size() && (*spans_)[i_].last < did)
            i_++;
        if (i_ < spans_->size())
            did_ = std::max({did_, did, (*spans_)[i_].first});
    }

    bool at_end() const override
    {
        return i_ >= spans_->size();
    }

    Xapian::docid get_docid() const override
    {
        return did_;
    }

    std::string get_description() const override
    {
        return "RunsSource";
    }

  private:
    std::shared_ptr<const RunTable> table_;
    const std::vector<RunSpan> *spans_ = nullptr;
    Xapian::doccount count_ = 0;
    size_t i_ = 0;
    Xapian::docid did_ = 0; /* 0: before the first */
};

/* A collapse to one match per value is done after the match (see
 * run_search) on LATE_COLLAPSE_DEPTH matches per hit wanted, at least
 * LATE_COLLAPSE_MIN. A page that would need more than LATE_COLLAPSE_MAX,
 * and a match that does not count the distinct values, are left to
 * Xapian's collapser. */
static const Xapian::doccount LATE_COLLAPSE_DEPTH = 3;
static const Xapian::doccount LATE_COLLAPSE_MIN = 30;
static const Xapian::doccount LATE_COLLAPSE_MAX = 2000;

/* A query of excluded words only ("-housing -\"forced eviction\"") is
 * one Xapian's parser cannot take: it parses it again as plain words, and
 * the search would find what was excluded. It is asked as "NOT (housing
 * OR \"forced eviction\")", which means the same. Other text is returned
 * as it is. */
static std::string only_excluded(const std::string &text)
{
    std::vector<std::string> words;
    size_t i = 0, n = text.size();
    while (i < n) {
        while (i < n && isspace(static_cast<unsigned char>(text[i])))
            i++;
        if (i == n)
            break;
        if (text[i] != '-' || i + 1 == n || isspace(static_cast<unsigned char>(text[i + 1])))
            return text;
        size_t start = ++i;
        bool quoted = false;
        while (i < n && (quoted || !isspace(static_cast<unsigned char>(text[i]))))
            quoted ^= text[i++] == '"';
        words.push_back(text.substr(start, i - start));
    }
    if (words.empty())
        return text;
    std::string out = "NOT (";
    for (size_t k = 0; k < words.size(); k++)
        out += (k ? " OR " : "") + words[k];
    return out + ")";
}

/* Whether text is only white space, with at most one "*" in it. */
static bool blank_or_star(const char *text)
{
    int stars = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '*')
            stars++;
        else if (!isspace(static_cast<unsigned char>(*p)))
            return false;
    }
    return stars <= 1;
}

static civ_status run_search(civ_xapian_reader *r, const civ_xapian_query *q,
                             std::unique_ptr<civ_xapian_results> &res)
{
    auto t0 = std::chrono::steady_clock::now();
    res.reset(new civ_xapian_results());
    const LangSet::Entry *e = r->langs.find(q->lang);

    size_t first_part = 0;
    const Xapian::Database &db = part_db(r, q->part, &first_part);
    Xapian::QueryParser qp;
    /* All databases: records hold the spelling dictionary, passages the
     * terms only they have (para:) for wildcards. */
    qp.set_database(r->db);
    if (e) {
        qp.set_stemmer(e->stem);
        qp.set_stopper(e->stopper.get());
        res->stem = e->stem;
        res->memo = e->memo;
        res->stem_keeps_first = e->stem_keeps_first;
        res->cjk = e->cjk;
    }
    res->elision = (e && e->elision) || q->elisions;
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(q->default_or ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    for (size_t i = 0; i < q->n_fields; i++) {
        const civ_xapian_field &f = q->fields[i];
        if (f.boolean && f.fold_case)
            qp.add_boolean_prefix(f.name, (new FoldedField(r->db, f.prefix))->release());
        else if (f.boolean)
            qp.add_boolean_prefix(f.name, f.prefix);
        else
            qp.add_prefix(f.name, f.prefix);
    }
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM |
                     Xapian::QueryParser::FLAG_PURE_NOT;
    if (q->max_wildcard) {
        flags |= Xapian::QueryParser::FLAG_WILDCARD;
        qp.set_max_expansion(q->max_wildcard, Xapian::Query::WILDCARD_LIMIT_ERROR);
    } else {
        flags &= ~static_cast<unsigned>(Xapian::QueryParser::FLAG_WILDCARD);
    }
    Xapian::Query query;
    bool spelled = false;
    if (q->text && q->text[0]) {
        std::string text =
            (e && e->elision) || q->elisions ? split_elisions(q->text) : std::string(q->text);
        text = only_excluded(text);
        query = qp.parse_query(text, flags);
        /* A word written without its accents ("educacion") is a synonym
         * key of its accented forms in the index (see unaccented). With
         * every word known there is nothing to look for: not matched
         * again (a phrase of common words that matched nothing would walk
         * its passages twice). */
        if (q->accents) {
            if (!has_unknown_word(r->db, query)) {
                res->seconds =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                return CIV_OK;
            }
            flags |= Xapian::QueryParser::FLAG_AUTO_SYNONYMS;
            query = qp.parse_query(text, flags);
            with_accented_phrases(r->db, query, 0, &query);
        }
        /* Correction looks every word up in the spelling table, which can
         * cost more than the search: only a word the index does not hold
         * (nor, with accents, any of its accented forms) can be
         * misspelled. */
        if (q->spelling && has_unknown_word(r->db, query)) {
            query = qp.parse_query(text, flags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
            spelled = true;
        }
        /* "(" or "..." used to answer as an empty q does, with every
         * document, as if it had matched them; a lone "*" still asks for
         * every document. */
        if (query.empty() && !blank_or_star(q->text))
            throw QueryWithoutWords("nothing to search for: the query has no words");
    }
    without_position_groups(query, q, 0, &query);
    bool positional = false;
    check_shape(query, q, &positional);
    res->text_query = query;
    /* Records answer a phrase of two words through its pair term. */
    if (positional && q->positionless && q->part == CIV_XAPIAN_RECORDS && pairs_indexed(r) &&
        as_word_pairs(query, r->langs, 0, &query))
        check_shape(query, q, &positional);
    if (positional && q->positionless) {
        res->positional = true;
        res->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return CIV_OK;
    }
    if (query.empty())
        query = Xapian::Query::MatchAll;
    bool nothing = false;
    Xapian::Query filter = build_filter(r->db, q, &nothing);
    if (!filter.empty())
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    std::shared_ptr<RunTable> runs;
    if (q->n_runs > 0) {
        runs = locate_runs(r, first_part, db.size(), q);
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query((new RunsSource(runs))->release()));
    }
    if (nothing) /* a filter no document can pass: match a term none has */
        query = Xapian::Query(std::string("\x01civitas-empty-range"));
    if (spelled) {
        std::string corrected = qp.get_corrected_query_string();
        if (!corrected.empty()) {
            res->suggestion = corrected;
            res->has_suggestion = true;
        }
    }

    /* Collapsing to one match per value (a passage per document) is done
     * after the match: the matches are ranked uncollapsed,
     * LATE_COLLAPSE_DEPTH per hit wanted, and the first of each value is
     * kept. Xapian's collapser reads the value of every candidate it
     * examines (check_at_least of them at least) and ranks each value's
     * matches apart: a phrase of common words matched up to four times
     * slower over the speeches' passages. Few matches are fetched: a
     * longer ranking lowers the weight a candidate must beat, and more
     * candidates then have their positions checked. When the matches
     * fetched hold too few values and more matches exist, the match runs
     * again with Xapian's collapser. */
    bool collapse = q->collapse_slot >= 0 && !runs;
    unsigned long long want_all = static_cast<unsigned long long>(q->offset) + q->count;
    /* The spy counting distinct values gives the total in values (the
     * estimate of matches Xapian gives without collapsing is in matches). */
    bool late = collapse && q->collapse_max <= 1 && q->facet_distinct_slot >= 0 &&
                want_all * LATE_COLLAPSE_DEPTH <= LATE_COLLAPSE_MAX;
    Xapian::doccount want = late ? static_cast<Xapian::doccount>(want_all) : 0;
    Xapian::doccount fetch = std::max(want * LATE_COLLAPSE_DEPTH, LATE_COLLAPSE_MIN);

    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    std::unique_ptr<FacetSpy> facet_spy;
    std::unique_ptr<DeadlineDecider> decider;
    if (q->time_limit > 0)
        decider.reset(new DeadlineDecider(
            t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(q->time_limit))));
    /* A spy reading the packed slot reads it from the databases' facet
     * columns, told each candidate's database by a PartMarker. */
    std::vector<std::shared_ptr<const FacetColumn>> columns;
    auto uuids = std::make_shared<std::vector<std::string>>();
    auto position = std::make_shared<PartPosition>();
    if (q->facet_packed && (q->facet_distinct_slot >= 0 || q->n_facets > 0) && !runs) {
        r->columns.resize(r->parts.size());
        r->column_keys.resize(r->parts.size());
        for (size_t k = 0; k < db.size(); k++) {
            size_t i = first_part + k;
            const Xapian::Database &part = r->parts[i];
            uuids->push_back(part.get_uuid());
            std::string key = uuids->back() + "/" + std::to_string(part.get_revision()) + "/" +
                              std::to_string(q->facet_packed_slot);
            if (r->column_keys[i] != key) {
                r->columns[i] = facet_column(part, key, q->facet_packed_slot);
                r->column_keys[i] = key;
            }
            columns.push_back(r->columns[i]);
        }
        /* The marker knows a database by its UUID: a copied one has its
         * original's. */
        if (std::set<std::string>(uuids->begin(), uuids->end()).size() != uuids->size())
            columns.clear();
    }
    auto match = [&](bool xapian_collapse) {
        Xapian::Enquire enq(db);
        if (columns.empty())
            enq.set_query(query);
        else
            enq.set_query(
                Xapian::Query(Xapian::Query::OP_OR, query,
                              Xapian::Query((new PartMarker(position, uuids))->release())));
        if (xapian_collapse)
            enq.set_collapse_key(static_cast<Xapian::valueno>(q->collapse_slot),
                                 q->collapse_max ? q->collapse_max : 1);
        spies.clear();
        facet_spy.reset();
        /* A spy reads a value of every candidate: none when nothing is
         * counted. */
        if (q->facet_distinct_slot >= 0 || (q->facet_packed && q->n_facets > 0)) {
            facet_spy.reset(
                new FacetSpy(q->facet_slots, q->n_facets, q->facet_distinct_slot,
                             q->facet_packed ? static_cast<int>(q->facet_packed_slot) : -1));
            if (!columns.empty())
                facet_spy->use_columns(columns, position);
            enq.add_matchspy(facet_spy.get());
        } else {
            for (size_t k = 0; k < q->n_facets; k++) {
                spies.emplace_back(new Xapian::ValueCountMatchSpy(q->facet_slots[k]));
                enq.add_matchspy(spies.back().get());
            }
        }
        try {
            /* Every match of the runs, ranked: the best of each are picked
             * below (a run's best need not be among the first matches). */
            if (runs)
                res->mset = enq.get_mset(0, runs->total, 0, nullptr, decider.get());
            else if (late && !xapian_collapse)
                res->mset = enq.get_mset(0, fetch, std::max(q->check_at_least, fetch), nullptr,
                                         decider.get());
            else
                res->mset =
                    enq.get_mset(q->offset, q->count, q->check_at_least, nullptr, decider.get());
        } catch (const DeadlinePassed &) {
            /* Nothing is returned for a match cut short: the caller sees
             * the time past the limit and answers that the query took too
             * long. */
            res->mset = Xapian::MSet();
        } catch (const PartUnknown &) {
            columns.clear();
            return false;
        }
        if (facet_spy)
            facet_spy->finish();
        return true;
    };

    /* The hits, in rank order: each one's place in the MSet, its
     * collapse key and the matches collapsed into it. */
    std::vector<Xapian::MSetIterator> kept;
    std::vector<std::string> keys;
    std::vector<unsigned> collapsed;
    if (late) {
        if (!match(false))
            match(false);
        std::unordered_map<std::string, size_t> first_of; /* key -> index in kept */
        Xapian::doccount distinct = 0;
        for (Xapian::MSetIterator it = res->mset.begin(); it != res->mset.end() && distinct < want;
             ++it) {
            std::string key =
                it.get_document().get_value(static_cast<Xapian::valueno>(q->collapse_slot));
            /* As Xapian's collapser: a match without a value is its own. */
            if (!key.empty()) {
                auto seen = first_of.emplace(key, kept.size());
                if (!seen.second) {
                    collapsed[seen.first->second]++;
                    continue;
                }
            }
            distinct++;
            kept.push_back(it);
            keys.push_back(std::move(key));
            collapsed.push_back(0);
        }
        if (distinct < want && res->mset.size() == fetch) {
            late = false;
            kept.clear();
            keys.clear();
            collapsed.clear();
        } else {
            size_t skip = std::min<size_t>(q->offset, kept.size());
            kept.erase(kept.begin(), kept.begin() + skip);
            keys.erase(keys.begin(), keys.begin() + skip);
            collapsed.erase(collapsed.begin(), collapsed.begin() + skip);
        }
    }
    if (!late) {
        if (!match(collapse))
            match(collapse);
        for (Xapian::MSetIterator it = res->mset.begin(); it != res->mset.end(); ++it) {
            kept.push_back(it);
            keys.push_back(collapse ? it.get_collapse_key() : std::string());
            collapsed.push_back(it.get_collapse_count());
        }
    }

    for (size_t k = 0; k < q->n_facets; k++) {
        std::vector<std::pair<std::string, unsigned>> counts;
        if (facet_spy) {
            counts = facet_spy->counts(k);
        } else {
            const Xapian::ValueCountMatchSpy &spy = *spies[k];
            for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it)
                counts.emplace_back(*it, it.get_termfreq());
        }
        std::stable_sort(
            counts.begin(), counts.end(),
            [](const std::pair<std::string, unsigned> &a,
               const std::pair<std::string, unsigned> &b) { return a.second > b.second; });
        res->facet_counts.push_back(std::move(counts));
    }
    /* With collapsing, Xapian's estimate of the number of groups can be off
     * even when every match was examined; the spy's count of distinct
     * parents is exact then. Past check_at_least, a late collapse scales
     * the estimate of matches by the parents per match the spy saw.
     * Uncollapsed, the total counts matches, as the hits do: a passage
     * search pages through passages. */
    Xapian::doccount upper = res->mset.get_matches_upper_bound();
    if (facet_spy && collapse && q->facet_distinct_slot >= 0 && upper <= q->check_at_least)
        res->distinct_total = facet_spy->distinct();
    else if (late && facet_spy && facet_spy->matches() > 0)
        res->distinct_total =
            std::max<unsigned>(facet_spy->distinct(),
                               static_cast<unsigned>(std::min<double>(
                                   upper, static_cast<double>(res->mset.get_matches_estimated()) *
                                                  facet_spy->distinct() / facet_spy->matches() +
                                              0.5)));
    else
        res->distinct_total = res->mset.get_matches_estimated();

    /* Copy hits out so the C side never touches the MSet's iterators.
     * With runs, the best run_max of each run: the run of a docid of the
     * combined database comes from the database it interleaves from. */
    size_t n_dbs = db.size();
    std::vector<unsigned> taken(runs ? q->n_runs : 0);
    unsigned run_max = q->run_max ? q->run_max : 1;
    size_t n_kept = 0;
    for (size_t i = 0; i < kept.size(); i++) {
        const Xapian::MSetIterator &it = kept[i];
        long run = -1;
        if (runs) {
            Xapian::docid did = *it;
            run = runs->run_of((did - 1) % n_dbs, (did - 1) / n_dbs + 1);
            if (run < 0 || taken[run] >= run_max)
                continue;
            taken[run]++;
        }
        civ_xapian_hit h{};
        h.run = run;
        h.shard = static_cast<unsigned>((*it - 1) % n_dbs % (r->parts.size() / 2));
        h.docid = *it;
        h.weight = it.get_weight();
        h.percent = it.get_percent();
        h.collapse_count = collapsed[i];
        res->hits.push_back(h);
        if (n_kept != i) {
            kept[n_kept] = kept[i];
            keys[n_kept] = std::move(keys[i]);
        }
        n_kept++;
    }
    kept.resize(n_kept);
    keys.resize(n_kept);
    /* The stored data are read in docid order: neighbours
     * (the passages of one document) are then often in the block read
     * last, which the database's cursor still holds. */
    std::vector<size_t> order(kept.size());
    for (size_t i = 0; i < order.size(); i++)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return res->hits[a].docid < res->hits[b].docid; });
    res->hit_data.resize(kept.size());
    res->hit_keys.resize(kept.size());
    for (size_t i : order) {
        const Xapian::MSetIterator &it = kept[i];
        Xapian::Document d = it.get_document();
        res->hit_data[i] = doc_data(d);
        res->hit_keys[i] = std::move(keys[i]);
    }
    for (size_t i = 0; i < res->hits.size(); i++) {
        res->hits[i].data = res->hit_data[i].c_str();
        res->hits[i].data_len = res->hit_data[i].size();
        res->hits[i].key = res->hit_keys[i].c_str();
    }
    for (const auto &counts : res->facet_counts) {
        std::vector<civ_xapian_facet_value> view;
        for (const auto &c : counts)
            view.push_back(civ_xapian_facet_value{c.first.c_str(), c.second});
        res->facet_views.push_back(std::move(view));
    }
    res->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return CIV_OK;
}

extern "C" civ_status civ_xapian_search(civ_xapian_reader *r, const civ_xapian_query *q,
                                        civ_xapian_results **out, civ_err *err)
{
    *out = nullptr;
    std::unique_ptr<civ_xapian_results> res;
    civ_status st = with_retry(r, err, [&]() { return run_search(r, q, res); });
    if (st == CIV_OK)
        *out = res.release();
    return st;
}

extern "C" void civ_xapian_results_free(civ_xapian_results *res)
{
    try {
        delete res;
    } catch (...) {
    }
}

extern "C" unsigned civ_xapian_results_total(const civ_xapian_results *res)
{
    return res->distinct_total;
}

extern "C" size_t civ_xapian_results_size(const civ_xapian_results *res)
{
    return res->hits.size();
}

extern "C" const civ_xapian_hit *civ_xapian_results_hit(const civ_xapian_results *res, size_t i)
{
    return i < res->hits.size() ? &res->hits[i] : nullptr;
}

/* C's callback into a reader's remembering stemmer. */
static const char *remembered_stem(void *ctx, const char *word, size_t len, size_t *stem_len)
{
    try {
        return static_cast<RememberingStem *>(ctx)->stem(word, len, stem_len);
    } catch (...) {
        return nullptr;
    }
}

/* The most a query term can add to a match's weight; 0 (counted as 1)
 * when the match did not weigh it: an empty or cut-short MSet. */
static double term_weight(const Xapian::MSet &mset, const std::string &term)
{
    try {
        return mset.get_termweight(term);
    } catch (const Xapian::InvalidArgumentError &) {
        return 0;
    }
}

/* Ways to read one phrase that a snippet looks for, at most. */
enum { MAX_PHRASE_READINGS = 16 };

/* Tells sq the words query q searches for: its terms, and its phrases as
 * phrases. (A word a NOT excludes is in no match's text.) Sets *wildcard
 * when q has a wildcard, which only Xapian's snippets expand. */
static void describe(const Xapian::Query &q, unsigned depth, const Xapian::MSet &mset,
                     civ_snippet_query *sq, bool *wildcard)
{
    Xapian::Query::op type = q.get_type();
    if (type == Xapian::Query::LEAF_TERM) {
        std::string term = *q.get_terms_begin();
        if (civ_snippet_query_add_term(sq, term.c_str(), term_weight(mset, term)))
            throw std::bad_alloc();
        return;
    }
    if (type == Xapian::Query::OP_WILDCARD) {
        *wildcard = true;
        return;
    }
    if (type == Xapian::Query::OP_PHRASE) {
        /* The parser's phrases hold terms; with_accented_phrases puts an
         * OR of a word's forms in a place: each way to read the phrase is
         * a phrase of its own ("securite sociale", "sécurité sociale"). */
        std::vector<std::vector<std::string>> places;
        size_t readings = 1;
        for (size_t i = 0; i < q.get_num_subqueries(); i++) {
            Xapian::Query sub = q.get_subquery(i);
            places.emplace_back();
            for (Xapian::TermIterator t = sub.get_terms_begin(); t != sub.get_terms_end(); ++t)
                places.back().push_back(*t);
            if (places.back().empty())
                return;
            readings *= places.back().size();
        }
        for (size_t k = 0; k < readings && k < MAX_PHRASE_READINGS; k++) {
            std::vector<const char *> words;
            double weight = 0;
            for (size_t i = 0, rest = k; i < places.size(); i++) {
                const std::string &w = places[i][rest % places[i].size()];
                rest /= places[i].size();
                words.push_back(w.c_str());
                weight += term_weight(mset, w);
            }
            if (civ_snippet_query_add_phrase(sq, words.data(), words.size(), weight))
                throw std::bad_alloc();
        }
        return;
    }
    if (depth >= MAX_WALK_DEPTH)
        return;
    size_t n = q.get_num_subqueries();
    for (size_t i = 0; i < n; i++)
        describe(q.get_subquery(i), depth + 1, mset, sq, wildcard);
}

extern "C" civ_status civ_xapian_results_snippet(civ_xapian_results *res, const char *text,
                                                 size_t len, size_t max_chars, char **out,
                                                 civ_err *err)
{
    *out = nullptr;
    try {
        if (!res->snippet_query && !res->xapian_snippets) {
            res->xapian_snippets = res->cjk;
            if (!res->cjk) {
                std::unique_ptr<civ_snippet_query, SnippetQueryFree> sq(civ_snippet_query_new(
                    res->memo ? remembered_stem : nullptr, res->memo, res->elision));
                if (!sq)
                    throw std::bad_alloc();
                if (res->stem_keeps_first)
                    civ_snippet_query_stems_keep_first_byte(sq.get());
                bool wildcard = false;
                describe(res->text_query, 0, res->mset, sq.get(), &wildcard);
                if (wildcard)
                    res->xapian_snippets = true;
                else
                    res->snippet_query = std::move(sq);
            }
        }
        if (res->snippet_query) {
            *out = civ_snippet_make(res->snippet_query.get(), text, len, max_chars);
            if (!*out)
                throw std::bad_alloc();
            return CIV_OK;
        }
        /* SNIPPET_EXHAUSTIVE alone: the background model costs about three
         * times as much and picks no better passages for short paragraphs. */
        unsigned flags = Xapian::MSet::SNIPPET_EXHAUSTIVE;
        if (res->cjk)
            flags |= Xapian::MSet::SNIPPET_CJK_NGRAM;
        std::string s = res->mset.snippet(std::string(text, len), max_chars, res->stem, flags,
                                          "<mark>", "</mark>", "\xe2\x80\xa6");
        /* Each character of 教育 is a match of its own: one mark over
         * matches that touch. */
        static const std::string touching = "</mark><mark>";
        for (size_t at = s.find(touching); at != std::string::npos; at = s.find(touching, at))
            s.erase(at, touching.size());
        *out = c_copy(s);
        return CIV_OK;
    } catch (...) {
        return fail(err);
    }
}

extern "C" civ_status civ_xapian_results_facet(const civ_xapian_results *res, size_t k,
                                               const civ_xapian_facet_value **values, size_t *n,
                                               civ_err *err)
{
    if (k >= res->facet_views.size())
        return civ_err_set(err, CIV_ERR_INPUT, "no facet %zu", k);
    *values = res->facet_views[k].data();
    *n = res->facet_views[k].size();
    return CIV_OK;
}

extern "C" const char *civ_xapian_results_suggestion(const civ_xapian_results *res)
{
    return res->has_suggestion ? res->suggestion.c_str() : nullptr;
}

extern "C" int civ_xapian_results_positional(const civ_xapian_results *res)
{
    return res->positional ? 1 : 0;
}

extern "C" double civ_xapian_results_seconds(const civ_xapian_results *res)
{
    return res->seconds;
}
