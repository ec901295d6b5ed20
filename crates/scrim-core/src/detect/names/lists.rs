//! The word lists behind the name tier's cues, and the lookup tables built from them once per
//! detector ([`cue_index`], [`roles`]).

/// Words that open a person cue, followed by the name ("my name is X").
pub(super) const PERSON_CUES: &[&[&str]] = &[
    &["name"],
    &["full", "name"],
    &["my", "name", "is"],
    &["my", "name", "s"],
    &["my", "names"],
    &["name", "is"],
    &["name", "s"],
    &["names"],
    &["call", "me"],
    &["called"],
    &["named"],
    &["this", "is"],
    &["i", "am"],
    &["i", "m"],
    &["im"],
    &["mera", "naam"],
    &["mera", "name"],
    &["me", "llamo"],
    &["mi", "nombre", "es"],
    &["soy"],
    &["je", "m", "appelle"],
    &["ich", "bin"],
    &["ich", "heiße"],
];

/// Relations: "my daughter X", "my boss X".
pub(super) const RELATIONS: &[&str] = &[
    "daughter",
    "son",
    "wife",
    "husband",
    "boyfriend",
    "girlfriend",
    "bf",
    "gf",
    "mom",
    "mum",
    "mother",
    "dad",
    "father",
    "sister",
    "brother",
    "sis",
    "bro",
    "friend",
    "bestie",
    "bff",
    "boss",
    "coworker",
    "colleague",
    "partner",
    "ex",
    "fiance",
    "fiancé",
    "fiancee",
    "fiancée",
    "cousin",
    "aunt",
    "auntie",
    "uncle",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "niece",
    "nephew",
    "kid",
    "child",
    "baby",
    "manager",
    "therapist",
    "doctor",
    "teacher",
    "roommate",
    "neighbor",
    "neighbour",
    "classmate",
    "crush",
    "stepson",
    "stepdaughter",
    "stepmom",
    "stepdad",
    "landlord",
    "tutor",
    "coach",
    "mentor",
    "supervisor",
    "bhai",
    "didi",
    "beta",
    "beti",
    "hermano",
    "hermana",
    "hijo",
    "hija",
    "amigo",
    "amiga",
    "novio",
    "novia",
    "esposo",
    "esposa",
    "mamá",
    "papá",
];

/// Titles before a name.
pub(super) const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "madam",
    "dame",
    "lord",
    "lady",
    "uncle",
    "aunt",
    "auntie",
    "coach",
    "officer",
    "detective",
    "nurse",
    "sr",
    "sra",
    "srta",
    "shri",
    "smt",
    "ji",
];

/// Greetings and sign-offs that precede a name ("hi Maya", "thanks, Maya").
pub(super) const GREETINGS: &[&str] = &[
    "hi",
    "hey",
    "hello",
    "dear",
    "thanks",
    "thank",
    "bye",
    "cheers",
    "regards",
    "love",
    "xoxo",
    "yo",
    "hola",
    "namaste",
    "congrats",
    "sincerely",
    "best",
    "morning",
    "night",
];

/// Words before a place.
pub(super) const PLACE_CUES: &[&[&str]] = &[
    &["live", "in"],
    &["living", "in"],
    &["lives", "in"],
    &["moved", "to"],
    &["moving", "to"],
    &["move", "to"],
    &["based", "in"],
    &["born", "in"],
    &["grew", "up", "in"],
    &["from"],
    &["visiting"],
    &["visit"],
    &["trip", "to"],
    &["flight", "to"],
    &["flying", "to"],
    &["travel", "to"],
    &["travelling", "to"],
    &["traveling", "to"],
    &["near"],
    &["in"],
    &["at"],
    &["to"],
    &["vivo", "en"],
    &["rehta", "hoon"],
    &["rehti", "hoon"],
];

/// Cues for an employer or school.
pub(super) const ORG_CUES: &[&[&str]] = &[
    &["work", "at"],
    &["work", "for"],
    &["works", "at"],
    &["works", "for"],
    &["working", "at"],
    &["working", "for"],
    &["worked", "at"],
    &["worked", "for"],
    &["employed", "at"],
    &["employed", "by"],
    &["job", "at"],
    &["intern", "at"],
    &["interning", "at"],
    &["internship", "at"],
    &["joined"],
    &["study", "at"],
    &["studies", "at"],
    &["studying", "at"],
    &["student", "at"],
    &["goes", "to"],
    &["go", "to"],
    &["graduated", "from"],
    &["attend"],
    &["attends"],
    &["nurse", "at"],
    &["engineer", "at"],
    &["teacher", "at"],
    &["manager", "at"],
    &["developer", "at"],
    &["analyst", "at"],
    &["doctor", "at"],
    &["trabajo", "en"],
];

/// Capitalised words that are never names on their own, even mid-sentence.
pub(super) const NEVER_NAMES: &[&str] = &[
    // Words that follow "call me" and friends without being a name.
    "on",
    "at",
    "in",
    "to",
    "for",
    "from",
    "with",
    "by",
    "up",
    "if",
    "back",
    "later",
    "now",
    "asap",
    "soon",
    "again",
    "anytime",
    "tomorrow",
    "today",
    "tonight",
    "i",
    "i'm",
    "im",
    "i've",
    "i'll",
    "i'd",
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "so",
    "my",
    "your",
    "you",
    "he",
    "she",
    "we",
    "they",
    "it",
    "this",
    "that",
    "what",
    "who",
    "why",
    "how",
    "when",
    "where",
    "yes",
    "no",
    "ok",
    "okay",
    "lol",
    "lmao",
    "omg",
    "god",
    "jesus",
    "christ",
    "allah",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mr",
    "mrs",
    "ms",
    "dr",
    "english",
    "hindi",
    "spanish",
    "user",
    "assistant",
    "hi",
    "hey",
    "hello",
    "thanks",
    "please",
    "sorry",
    "dear",
    "tv",
    "ai",
    "http",
    "https",
    "www",
    "com",
    "re",
    "fw",
    "fwd",
    "ps",
    "etc",
    "am",
    "pm",
    "usd",
    "inr",
    "rs",
    "covid",
    "christmas",
    "diwali",
    "eid",
    "easter",
    "halloween",
    "thanksgiving",
    "ramadan",
];

/// The cue phrases that end in a given word, by kind: only these are tried after that word.
#[derive(Default)]
pub(super) struct CuesEndingIn {
    /// Person cues ([`PERSON_CUES`]).
    pub(super) person: Vec<&'static [&'static str]>,
    /// Place cues ([`PLACE_CUES`]).
    pub(super) place: Vec<&'static [&'static str]>,
    /// Employer and school cues ([`ORG_CUES`]).
    pub(super) org: Vec<&'static [&'static str]>,
}

/// The cue phrases by their last word.
pub(super) type CueIndex =
    std::collections::HashMap<&'static str, CuesEndingIn, foldhash::fast::FixedState>;

/// Index [`PERSON_CUES`], [`PLACE_CUES`] and [`ORG_CUES`] by their last word.
pub(super) fn cue_index() -> CueIndex {
    let mut idx = CueIndex::default();
    for (list, kind) in [(PERSON_CUES, 0), (PLACE_CUES, 1), (ORG_CUES, 2)] {
        for cue in list {
            let Some(last) = cue.last() else { continue };
            let e = idx.entry(*last).or_default();
            match kind {
                0 => e.person.push(cue),
                1 => e.place.push(cue),
                _ => e.org.push(cue),
            }
        }
    }
    idx
}

/// Word roles looked up once per word: see [`NEVER`] and [`CUE_END`].
pub(super) type Roles = std::collections::HashMap<&'static str, u8, foldhash::fast::FixedState>;
/// Role bit: the word is in [`NEVER_NAMES`].
pub(super) const NEVER: u8 = 1;
/// Role bit: the word ends a cue.
pub(super) const CUE_END: u8 = 2;

/// The longest word (in bytes) that has a role; longer words skip the lookup.
pub(super) const MAX_ROLE_BYTES: usize = 16;

/// The role bits of every word in [`NEVER_NAMES`] or at the end of a cue.
pub(super) fn roles() -> Roles {
    let mut r = Roles::default();
    for w in NEVER_NAMES {
        *r.entry(w).or_default() |= NEVER;
    }
    let cue_ends = PERSON_CUES
        .iter()
        .chain(PLACE_CUES)
        .chain(ORG_CUES)
        .filter_map(|c| c.last())
        .chain(RELATIONS)
        .chain(TITLES)
        .chain(GREETINGS);
    for w in cue_ends {
        *r.entry(w).or_default() |= CUE_END;
    }
    r
}
