/* civ_gdebate.c: general debate statements from their file names
 * (civ_gdebate.h).
 *
 * Speakers are named as the UN names its members today, except where a
 * member spoke under another name: a statement of the Soviet Union in 1975
 * is filed under "RUS", but "Russian Federation, ... 30th session" would be
 * wrong, so the names a code had before are listed with their years.
 */
#include "civ_gdebate.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first session of the General Assembly met in 1946. */
#define FIRST_YEAR 1946

typedef struct speaker {
    const char *code;
    const char *name;
} speaker;

/* Sorted by code, for bsearch. */
static const speaker speakers[] = {
    {"AFG", "Afghanistan"},
    {"AGO", "Angola"},
    {"ALB", "Albania"},
    {"AND", "Andorra"},
    {"ARE", "United Arab Emirates"},
    {"ARG", "Argentina"},
    {"ARM", "Armenia"},
    {"ATG", "Antigua and Barbuda"},
    {"AUS", "Australia"},
    {"AUT", "Austria"},
    {"AZE", "Azerbaijan"},
    {"BDI", "Burundi"},
    {"BEL", "Belgium"},
    {"BEN", "Benin"},
    {"BFA", "Burkina Faso"},
    {"BGD", "Bangladesh"},
    {"BGR", "Bulgaria"},
    {"BHR", "Bahrain"},
    {"BHS", "Bahamas"},
    {"BIH", "Bosnia and Herzegovina"},
    {"BLR", "Belarus"},
    {"BLZ", "Belize"},
    {"BOL", "Bolivia (Plurinational State of)"},
    {"BRA", "Brazil"},
    {"BRB", "Barbados"},
    {"BRN", "Brunei Darussalam"},
    {"BTN", "Bhutan"},
    {"BWA", "Botswana"},
    {"CAF", "Central African Republic"},
    {"CAN", "Canada"},
    {"CHE", "Switzerland"},
    {"CHL", "Chile"},
    {"CHN", "China"},
    {"CIV", "Côte d’Ivoire"},
    {"CMR", "Cameroon"},
    {"COD", "Democratic Republic of the Congo"},
    {"COG", "Congo"},
    {"COL", "Colombia"},
    {"COM", "Comoros"},
    {"CPV", "Cabo Verde"},
    {"CRI", "Costa Rica"},
    {"CSK", "Czechoslovakia"},
    {"CUB", "Cuba"},
    {"CYP", "Cyprus"},
    {"CZE", "Czechia"},
    {"DDR", "German Democratic Republic"},
    {"DEU", "Germany"},
    {"DJI", "Djibouti"},
    {"DMA", "Dominica"},
    {"DNK", "Denmark"},
    {"DOM", "Dominican Republic"},
    {"DZA", "Algeria"},
    {"ECU", "Ecuador"},
    {"EGY", "Egypt"},
    {"ERI", "Eritrea"},
    {"ESP", "Spain"},
    {"EST", "Estonia"},
    {"ETH", "Ethiopia"},
    {"EU", "European Union"},
    {"FIN", "Finland"},
    {"FJI", "Fiji"},
    {"FRA", "France"},
    {"FSM", "Micronesia (Federated States of)"},
    {"GAB", "Gabon"},
    {"GBR", "United Kingdom of Great Britain and Northern Ireland"},
    {"GEO", "Georgia"},
    {"GHA", "Ghana"},
    {"GIN", "Guinea"},
    {"GMB", "Gambia"},
    {"GNB", "Guinea-Bissau"},
    {"GNQ", "Equatorial Guinea"},
    {"GRC", "Greece"},
    {"GRD", "Grenada"},
    {"GTM", "Guatemala"},
    {"GUY", "Guyana"},
    {"HND", "Honduras"},
    {"HRV", "Croatia"},
    {"HTI", "Haiti"},
    {"HUN", "Hungary"},
    {"IDN", "Indonesia"},
    {"IND", "India"},
    {"IRL", "Ireland"},
    {"IRN", "Iran (Islamic Republic of)"},
    {"IRQ", "Iraq"},
    {"ISL", "Iceland"},
    {"ISR", "Israel"},
    {"ITA", "Italy"},
    {"JAM", "Jamaica"},
    {"JOR", "Jordan"},
    {"JPN", "Japan"},
    {"KAZ", "Kazakhstan"},
    {"KEN", "Kenya"},
    {"KGZ", "Kyrgyzstan"},
    {"KHM", "Cambodia"},
    {"KIR", "Kiribati"},
    {"KNA", "Saint Kitts and Nevis"},
    {"KOR", "Republic of Korea"},
    {"KWT", "Kuwait"},
    {"LAO", "Lao People’s Democratic Republic"},
    {"LBN", "Lebanon"},
    {"LBR", "Liberia"},
    {"LBY", "Libya"},
    {"LCA", "Saint Lucia"},
    {"LIE", "Liechtenstein"},
    {"LKA", "Sri Lanka"},
    {"LSO", "Lesotho"},
    {"LTU", "Lithuania"},
    {"LUX", "Luxembourg"},
    {"LVA", "Latvia"},
    {"MAR", "Morocco"},
    {"MCO", "Monaco"},
    {"MDA", "Republic of Moldova"},
    {"MDG", "Madagascar"},
    {"MDV", "Maldives"},
    {"MEX", "Mexico"},
    {"MHL", "Marshall Islands"},
    {"MKD", "North Macedonia"},
    {"MLI", "Mali"},
    {"MLT", "Malta"},
    {"MMR", "Myanmar"},
    {"MNE", "Montenegro"},
    {"MNG", "Mongolia"},
    {"MOZ", "Mozambique"},
    {"MRT", "Mauritania"},
    {"MUS", "Mauritius"},
    {"MWI", "Malawi"},
    {"MYS", "Malaysia"},
    {"NAM", "Namibia"},
    {"NER", "Niger"},
    {"NGA", "Nigeria"},
    {"NIC", "Nicaragua"},
    {"NLD", "Netherlands"},
    {"NOR", "Norway"},
    {"NPL", "Nepal"},
    {"NRU", "Nauru"},
    {"NZL", "New Zealand"},
    {"OMN", "Oman"},
    {"PAK", "Pakistan"},
    {"PAN", "Panama"},
    {"PER", "Peru"},
    {"PHL", "Philippines"},
    {"PLW", "Palau"},
    {"PNG", "Papua New Guinea"},
    {"POL", "Poland"},
    {"PRK", "Democratic People’s Republic of Korea"},
    {"PRT", "Portugal"},
    {"PRY", "Paraguay"},
    {"PSE", "State of Palestine"},
    {"QAT", "Qatar"},
    {"ROU", "Romania"},
    {"RUS", "Russian Federation"},
    {"RWA", "Rwanda"},
    {"SAU", "Saudi Arabia"},
    {"SDN", "Sudan"},
    {"SEN", "Senegal"},
    {"SGP", "Singapore"},
    {"SLB", "Solomon Islands"},
    {"SLE", "Sierra Leone"},
    {"SLV", "El Salvador"},
    {"SMR", "San Marino"},
    {"SOM", "Somalia"},
    {"SRB", "Serbia"},
    {"SSD", "South Sudan"},
    {"STP", "Sao Tome and Principe"},
    {"SUR", "Suriname"},
    {"SVK", "Slovakia"},
    {"SVN", "Slovenia"},
    {"SWE", "Sweden"},
    {"SWZ", "Eswatini"},
    {"SYC", "Seychelles"},
    {"SYR", "Syrian Arab Republic"},
    {"TCD", "Chad"},
    {"TGO", "Togo"},
    {"THA", "Thailand"},
    {"TJK", "Tajikistan"},
    {"TKM", "Turkmenistan"},
    {"TLS", "Timor-Leste"},
    {"TON", "Tonga"},
    {"TTO", "Trinidad and Tobago"},
    {"TUN", "Tunisia"},
    {"TUR", "Türkiye"},
    {"TUV", "Tuvalu"},
    {"TZA", "United Republic of Tanzania"},
    {"UGA", "Uganda"},
    {"UKR", "Ukraine"},
    {"URY", "Uruguay"},
    {"USA", "United States of America"},
    {"UZB", "Uzbekistan"},
    {"VAT", "Holy See"},
    {"VCT", "Saint Vincent and the Grenadines"},
    {"VEN", "Venezuela (Bolivarian Republic of)"},
    {"VNM", "Viet Nam"},
    {"VUT", "Vanuatu"},
    {"WSM", "Samoa"},
    {"YEM", "Yemen"},
    {"YMD", "Democratic Yemen"},
    {"YUG", "Yugoslavia"},
    {"ZAF", "South Africa"},
    {"ZMB", "Zambia"},
    {"ZWE", "Zimbabwe"},
};

typedef struct former_name {
    const char *code;
    int from, to; /* years the name was used at the UN, both included */
    const char *name;
} former_name;

static const former_name former_names[] = {
    {"BEN", 0, 1975, "Dahomey"},
    {"BFA", 0, 1983, "Upper Volta"},
    {"BLR", 0, 1991, "Byelorussian Soviet Socialist Republic"},
    {"COD", 1971, 1996, "Zaire"},
    {"CPV", 0, 2012, "Cape Verde"},
    {"DEU", 0, 1990, "Federal Republic of Germany"},
    {"IRN", 0, 1978, "Iran"},
    {"LBY", 1977, 2010, "Libyan Arab Jamahiriya"},
    {"LKA", 0, 1971, "Ceylon"},
    {"MKD", 0, 2018, "The former Yugoslav Republic of Macedonia"},
    {"MMR", 0, 1988, "Burma"},
    {"RUS", 0, 1991, "Union of Soviet Socialist Republics"},
    {"SWZ", 0, 2017, "Swaziland"},
    {"TUR", 0, 2021, "Turkey"},
    {"UKR", 0, 1991, "Ukrainian Soviet Socialist Republic"},
};

static int compare_code(const void *key, const void *entry)
{
    return strcmp(key, ((const speaker *)entry)->code);
}

static const char *speaker_name(const char *code, int year)
{
    for (size_t i = 0; i < G_N_ELEMENTS(former_names); i++) {
        const former_name *f = &former_names[i];
        if (strcmp(f->code, code) == 0 && year >= f->from && year <= f->to)
            return f->name;
    }
    const speaker *s =
        bsearch(code, speakers, G_N_ELEMENTS(speakers), sizeof speakers[0], compare_code);
    return s ? s->name : NULL;
}

/* The number of ASCII digits at s, at most max + 1. */
static size_t digits(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

int civ_gdebate_from_filename(const char *path, civ_gdebate *out)
{
    if (!path)
        return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* The name without its extension: "CRI_70_2015". */
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    /* From the end: four digits of year, "_", one to three of session, "_",
     * the code, and the start of the name or an "_" before it. */
    if (len < 9)
        return 0;
    const char *year = base + len - 4;
    if (digits(year, 4) != 4 || year[-1] != '_')
        return 0;
    const char *sep = year - 1, *session = sep;
    while (session > base && session[-1] >= '0' && session[-1] <= '9' && sep - session < 3)
        session--;
    if (session == sep || session <= base || session[-1] != '_')
        return 0;
    const char *code_end = session - 1, *code = code_end;
    while (code > base && code[-1] >= 'A' && code[-1] <= 'Z' && code_end - code < 3)
        code--;
    size_t code_len = (size_t)(code_end - code);
    if (code_len < 2 || (code > base && code[-1] != '_'))
        return 0;

    civ_gdebate g;
    memcpy(g.code, code, code_len);
    g.code[code_len] = '\0';
    g.year = atoi(year);
    g.session = atoi(session);
    if (g.session < 1 || g.year != FIRST_YEAR - 1 + g.session)
        return 0;
    g.speaker = speaker_name(g.code, g.year);
    if (!g.speaker)
        return 0;
    *out = g;
    return 1;
}

void civ_gdebate_title(const civ_gdebate *g, char *out, size_t size)
{
    int n = g->session;
    const char *suffix = n % 100 >= 11 && n % 100 <= 13 ? "th"
                         : n % 10 == 1                  ? "st"
                         : n % 10 == 2                  ? "nd"
                         : n % 10 == 3                  ? "rd"
                                                        : "th";
    snprintf(out, size, "%s, General Debate of the %d%s session of the General Assembly",
             g->speaker, n, suffix);
}
