#!/usr/bin/env python3
"""Generate training text shaped like real chat logs, with exact spans (seeded, reproducible).

    python tools/model/gen_realchat.py --n 6000 --seed 21 --out /tmp/scrim-model/data/realchat-gen.jsonl
    python tools/model/gen_realchat.py --n 10 --preview

`gen_chats.py` writes what users say about themselves; real chat logs (issue 12) are mostly the
assistant's answers and what users paste, and that is where the first model saw names that are
not there: product and library names in lists, keys and values of code and data, headings, words
of other scripts, theme words of stories. This generator writes those shapes (what the learned
tier reads: prose, data blocks, string literals, pasted documents; never code bodies, which the
gate keeps from it), with the personal data real ones carry, labeled by the conventions of
`tests/realchat/GUIDE.md` (example records are labeled; placeholders such as `John Doe` and
`[Your Name]` are not):

| kind | what |
|---|---|
| answer | markdown answers: headings, numbered and bulleted lists of products, libraries and everyday nouns, bold terms, tables; sometimes a name or place the user gave |
| data | JSON, Python dicts, YAML, CSV and markdown tables: person records (labeled) and configuration records (not) |
| document | resumes, cover letters, emails with headers, contact cards |
| foreign | sentences in Chinese, Japanese, Russian, Thai, Vietnamese, Korean prompts; some with a name of that script |
| story | story prompts and passages: characters (labeled), theme words and roles (not) |

Values come from `gen_chats.py` (Faker, GeoNames) and Scrim's generated product word list
(`crates/scrim-core/data/product_words.txt`, sources in its NOTICE); the remaining word pools are
written here by hand. Nothing is taken from an evaluation corpus or the real-chat dev split.
Output format as `gen_chats.py`: {"id", "text", "spans": [[start, end, LABEL]], "ignore": []},
code point offsets.
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_chats as G  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))


def _product_words():
    path = os.path.join(ROOT, "crates", "scrim-core", "data", "product_words.txt")
    words = [l.strip() for l in open(path, encoding="utf-8") if l.strip() and not l.startswith("#")]
    # Words of 4+ letters read as names in a list; keep those that are plainly words.
    return sorted(w for w in words if w.isalpha() and 4 <= len(w) <= 14)


PRODUCT_WORDS = _product_words()

NOUNS = ["apples", "bananas", "grapes", "oranges", "carrots", "potatoes", "rice", "bread", "coffee", "tea",
         "budget", "schedule", "deadline", "meeting", "report", "invoice", "contract", "proposal", "strategy",
         "marketing", "sales", "revenue", "growth", "customers", "users", "feedback", "quality", "security",
         "performance", "scalability", "reliability", "maintenance", "testing", "deployment", "monitoring",
         "documentation", "training", "onboarding", "hiring", "culture", "leadership", "teamwork", "communication",
         "motivation", "productivity", "creativity", "innovation", "sustainability", "transparency", "trust",
         "friendship", "betrayal", "courage", "loyalty", "revenge", "redemption", "grief", "hope", "love", "fear",
         "memory", "identity", "freedom", "power", "justice", "ambition", "sacrifice", "forgiveness", "jealousy",
         "dragons", "wizards", "robots", "pirates", "knights", "villain", "hero", "mentor", "sidekick", "rival",
         "exercise", "sleep", "nutrition", "hydration", "meditation", "stretching", "protein", "vitamins",
         "tables", "chairs", "lamps", "windows", "doors", "gardens", "kitchens", "bathrooms", "offices"]

ROLES = ["the Captain", "the Narrator", "the Detective", "the Queen", "the King", "the Doctor", "the Stranger",
         "the Front Man", "the Oracle", "the Professor", "the Chef", "the Villain", "the Hero", "the Mayor"]

HEADINGS = ["Overview", "Introduction", "Conclusion", "Summary", "Key Features", "Benefits", "Prerequisites",
            "Installation", "Usage", "Configuration", "Examples", "Next Steps", "Best Practices", "Pros and Cons",
            "Step {N}: Install {P}", "Step {N}: Configure {P}", "Option {N}: Use {P}", "Why {P}?",
            "Comparison of {P} and {Q}", "Troubleshooting", "Marketing Plan", "Target Audience", "Pricing",
            "Executive Summary", "Objectives", "Timeline", "Risks", "Recommendations", "Chapter {N}", "Act {N}"]

CONFIG_KEYS = ["lang", "tone", "voice", "status", "type", "mode", "level", "theme", "format", "region", "model",
               "method", "role", "category", "priority", "color", "size", "env", "driver", "engine", "provider"]
CONFIG_VALUES = ["ko", "en", "casual", "formal", "active", "pending", "Premium", "Basic", "dark", "light", "json",
                 "DESC", "ASC", "GET", "POST", "admin", "user", "High", "Low", "Medium", "production", "staging",
                 "postgres", "InnoDB", "gpt-4", "Standard", "Enterprise", "Draft", "Published", "Open", "Closed",
                 "application/json", "text/html", "utf-8", "UTC", "en-US", "src/App.vue", "main.py", "index.html"]

COMPANY_SUFFIX = ["Inc.", "LLC", "Ltd", "Solutions", "Technologies", "Group", "Labs", "Partners", "Consulting"]


def titled(w):
    return w[:1].upper() + w[1:]


class RealChatGen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.values = G.Values(seed)

    # -- helpers -------------------------------------------------------------------------
    def ctx(self):
        culture = self.rng.choices(list(G.CULTURE_WEIGHTS), weights=list(G.CULTURE_WEIGHTS.values()))[0]
        return G.Ctx(self.rng, culture)

    def product(self):
        return titled(self.rng.choice(PRODUCT_WORDS))

    def coined(self):
        """An invented product or app name: two capitalised words run together."""
        a, b = self.rng.sample(["Lingua", "Speak", "Pal", "Task", "Flow", "Smart", "Cloud", "Quick", "Fit", "Learn",
                                "Byte", "Meal", "Trip", "Home", "Pet", "Code", "Data", "Mind", "Sync", "Hub", "Spark"], 2)
        return a + b + self.rng.choice(["", "", "s", "ly", "AI", "Pro"])

    def heading(self):
        h = self.rng.choice(HEADINGS)
        return h.replace("{N}", str(self.rng.randint(1, 6))).replace("{P}", self.product()).replace("{Q}", self.product())

    def person_piece(self, c, slot="NAME"):
        return G.render("{%s}" % slot, self.values, c)

    # -- kinds ---------------------------------------------------------------------------
    def answer(self):
        rng, c = self.rng, self.ctx()
        P = []
        add = lambda t, lab=None: P.append((t, lab))
        if rng.random() < 0.2:
            P.extend(G.render("[Sure|Certainly|Of course|Here you go][!|,] [here is|here's] [a|the] [letter|message|note|email|speech] [for|to] {NAME#x}:", self.values, c))
            add("\n\nDear ")
            P.extend(G.render("{FIRST#x}", self.values, c))
            add(",\n\n")
        elif rng.random() < 0.5:
            add(rng.choice(["Sure! Here are some options.", "Certainly!", "Here are some ideas:", "Great question.",
                            "To do this, follow these steps:"]) + "\n\n")
        for _ in range(rng.randint(1, 3)):
            add(rng.choice(["## ", "### ", "**", "# "]) + self.heading())
            if P[-1][0].startswith("**"):
                add("**")
            add("\n\n")
            kind = rng.random()
            if kind < 0.35:
                add("You can use %s or %s for this. %s is %s, while %s %s.\n\n" % (
                    self.product(), self.product(), self.product(),
                    rng.choice(["faster", "easier to set up", "more popular", "open source", "well documented"]),
                    self.product(), rng.choice(["scales better", "has more plugins", "is simpler", "is free"])))
            n = rng.randint(3, 8)
            style = rng.choice(["num", "dash", "star", "bold", "plain"])
            for i in range(n):
                r = rng.random()
                if r < 0.35:
                    item = self.product()
                elif r < 0.55:
                    item = titled(rng.choice(NOUNS))
                elif r < 0.7:
                    item = self.coined()
                elif r < 0.8:
                    item = rng.choice(NOUNS)
                else:
                    item = "%s %s" % (titled(rng.choice(NOUNS)), rng.choice(NOUNS))
                bullet = {"num": "%d. " % (i + 1), "dash": "- ", "star": "* ", "bold": "%d. **" % (i + 1), "plain": ""}[style]
                add(bullet + item + ("**" if style == "bold" else ""))
                if rng.random() < 0.5:
                    add(rng.choice([": ", " - ", " – "]) + rng.choice([
                        "use it to %s." % rng.choice(["track progress", "manage tasks", "store data", "test the API"]),
                        "a popular choice for %s." % rng.choice(NOUNS),
                        "improves %s and %s." % (rng.choice(NOUNS), rng.choice(NOUNS)),
                    ]))
                add("\n")
            add("\n")
        if rng.random() < 0.2:
            # a list of people: names in lists are still names
            add(rng.choice(["**Attendees**", "## Team", "Speakers:", "Contacts:", "Guest list:", "### Characters"]) + "\n")
            for i in range(rng.randint(2, 5)):
                add(rng.choice(["%d. " % (i + 1), "- ", "* "]))
                P.extend(self.person_piece(c, rng.choice(["NAME", "NAME", "FIRST"])))
                if rng.random() < 0.5:
                    add(rng.choice([" - ", ": ", ", "]) + rng.choice(["host", "CEO", "the narrator's sister", "keynote",
                                                                      "a retired teacher", "lead developer"]))
                add("\n")
            add("\n")
        if rng.random() < 0.25:
            # a table, sometimes of people (example records are labeled)
            add("| Name | Role | City |\n|---|---|---|\n")
            for _ in range(rng.randint(2, 4)):
                add("| ")
                P.extend(self.person_piece(c))
                add(" | %s | " % rng.choice(["Manager", "Engineer", "CFO", "Designer", "Intern", "Teacher"]))
                P.extend(G.render("{CITY}", self.values, c))
                add(" |\n")
        if rng.random() < 0.15:
            add(rng.choice(["\nBest regards,\n[Your Name]", "\nSincerely,\n[Your Name]", "\nThanks,\nJohn Doe",
                            "\nContact: [Your Email]", "\nLet me know if you have any questions!"]))
        return P

    def data(self):
        rng, c = self.rng, self.ctx()
        P = []
        add = lambda t, lab=None: P.append((t, lab))
        fmt = rng.choice(["json", "dict", "yaml", "csv", "table"])
        people = rng.random() < 0.6
        n = rng.randint(1, 4)
        if people:
            keys = rng.sample([("name", "NAME"), ("firstName", "FIRST"), ("lastName", "LAST"), ("email", "EMAIL"),
                               ("phone", "PHONE"), ("city", "CITY"), ("address", "ADDRESS"), ("age", "ADULTAGE"),
                               ("dob", "DOB"), ("username", "USER"), ("country", "COUNTRY"), ("id", None),
                               ("status", None), ("role", None)], rng.randint(3, 6))
        else:
            keys = [(k, None) for k in rng.sample(CONFIG_KEYS, rng.randint(3, 6))]

        def value(slot):
            if slot is None:
                return [(rng.choice(CONFIG_VALUES + [str(rng.randint(1, 999))]), None)]
            return G.render("{%s}" % slot, self.values, c)
        if fmt == "csv" or fmt == "table":
            sep = "," if fmt == "csv" else " | "
            add(("| " if fmt == "table" else "") + sep.join(k for k, _ in keys) + (" |\n" if fmt == "table" else "\n"))
            if fmt == "table":
                add("|" + "---|" * len(keys) + "\n")
            for _ in range(n):
                add("| " if fmt == "table" else "")
                for i, (_, slot) in enumerate(keys):
                    if i:
                        add(sep)
                    P.extend(value(slot))
                add(" |\n" if fmt == "table" else "\n")
        else:
            for r in range(n):
                if fmt == "yaml":
                    for i, (k, slot) in enumerate(keys):
                        add(("- " if i == 0 else "  ") + k + ": ")
                        P.extend(value(slot))
                        add("\n")
                else:
                    q = '"' if fmt == "json" else rng.choice(["'", '"'])
                    add("{")
                    for i, (k, slot) in enumerate(keys):
                        add((", " if i else "") + q + k + q + ": ")
                        vals = value(slot)
                        quoted = slot not in ("ADULTAGE",)
                        if quoted:
                            add(q)
                        P.extend(vals)
                        if quoted:
                            add(q)
                    add("}" + (",\n" if r + 1 < n else "\n"))
        if rng.random() < 0.4:
            P.insert(0, (rng.choice(["Here is the data:\n", "Example input:\n", "Output:\n", "Sample records:\n",
                                     "I have this file:\n", "config:\n"]), None))
        return P

    def document(self):
        rng, c = self.rng, self.ctx()
        kind = rng.choice(["resume", "letter", "email", "card"])
        if kind == "resume":
            t = ("{NAME#me}\n[{CITY}, {STATE}|{ADDRESS}|{CITY}] [|] {EMAIL} [|] {PHONE}[\n{URL}|]\n\n"
                 "[SUMMARY|Professional Summary|PROFILE]\n[Results-driven|Detail-oriented|Experienced] [software engineer|marketing manager|data analyst|nurse|teacher] with [2|3|5|7|10|12] years of experience in [Python|sales|patient care|SQL and Tableau].\n\n"
                 "[EXPERIENCE|Work Experience|Professional Experience]\n[Senior Engineer|Marketing Manager|Analyst|Team Lead], {COMPANY} ({DATE} - [Present|{DATE}])\n- [Led|Managed|Built] [a team of {NUM}|the migration to AWS|reports in Power BI]\n"
                 "[Intern|Associate|Assistant], {COMPANY}, {CITY} ({DATE} - {DATE})\n\n"
                 "[EDUCATION|Education]\n[B.S.|Bachelor of Science|MBA|M.Sc.] in [Computer Science|Finance|Nursing], {SCHOOL}[, {YEAR}|]\n\n"
                 "[SKILLS|Skills]: [Python, SQL, Excel|Salesforce, HubSpot|Java, Spring, Docker]")
        elif kind == "letter":
            t = ("[Dear {NAME#to}|Dear Hiring Manager|Dear Mr. {LAST#to}|Dear Ms. {LAST#to}|Hi {FIRST#to}|To whom it may concern],\n\n"
                 "[I am writing to apply for the [Marketing Coordinator|Software Engineer|Nurse] position at {COMPANY}.|Thank you for meeting with me on {DATE}.|I am writing regarding my account and the charge on {DATE}.] "
                 "[I have {NUM} years of experience|My background in [sales|Python|customer service]] [and I live in {CITY}.|and would love to join your team.]\n\n"
                 "[Please contact me at {EMAIL} or {PHONE}.|You can reach me at {PHONE}.|]\n\n"
                 "[Sincerely|Best regards|Kind regards|Thanks],\n{NAME#me}[\n{ADDRESS}|\n{EMAIL}|]")
        elif kind == "email":
            t = ("From: {NAME#me} <{EMAIL}>\nTo: {NAME#to} <{EMAIL}>\n[Date: {DATE}\n|]Subject: [Re: |][Meeting on {WEEKDAY}|Invoice {NUM}|Project update|Quick question]\n\n"
                 "Hi {FIRST#to},\n\n[Can we move our call to {DATE}?|Please find the report attached.|Following up on the [proposal|invoice] from last week.] "
                 "[Let me know if {TIME} works.|Thanks for your help.]\n\n[Best|Thanks|Cheers],\n{FIRST#me}")
        else:
            t = ("BEGIN:VCARD\nVERSION:3.0\nFN:{FIRST#f} {LAST#l}\nN:{LAST#l};{FIRST#f};;;\nEMAIL;type=INTERNET:{EMAIL}\n"
                 "TEL;type=CELL:{PHONE}\nADR;type=HOME:;;{ADDRESS};;;\nEND:VCARD")
        return G.render(t, self.values, c)

    def foreign(self):
        rng, c = self.rng, self.ctx()
        loc = rng.choice(["zh_CN", "ja_JP", "ru_RU", "th_TH", "vi_VN", "ko_KR", "zh_TW"])
        f = G.faker(loc)
        f.seed_instance(rng.randrange(10 ** 9))
        P = []
        if loc == "ko_KR":
            ask = rng.choice(["만들어줘", "설명해줘", "알려주세요", "코드를 작성해 주세요", "영어로 번역해줘", "요약해줘",
                              "뭐가 잘못된거야?", "예시를 들어줘", "표로 정리해줘"])
            topic = rng.choice([f.job(), f.catch_phrase(), f.bs(), "폼 전송 ajax방식 스크립트", "회원가입 페이지",
                                "마케팅 전략", "고품질 작업 제공", "새로운 제품과 서비스", "데이터베이스 설계"])
            P.append((topic + " " + ask, None))
        else:
            P.append((" ".join(f.sentence(nb_words=rng.randint(5, 12)) for _ in range(rng.randint(1, 3))), None))
        if rng.random() < 0.35:
            name = f.name()
            lead = rng.choice(["", "\n", " "])
            P.insert(0 if rng.random() < 0.5 else len(P), (name, "PERSON"))
            if lead:
                P.insert(1 if P[0][1] else len(P) - 1, (lead, None))
        if rng.random() < 0.3:
            P.append((rng.choice(["\n\nTranslate to English.", "\n\n用英文回答", "\n\n翻译成英文", " please answer in English"]), None))
        return P

    def story(self):
        rng, c = self.rng, self.ctx()
        t = rng.choice([
            "Write a [short |]story about {FIRST#a}, a [young|retired|shy] [girl|boy|detective|teacher|robot engineer] from {CITY}, who [discovers|loses|finds] [a map|her memory|a secret]. The story should include themes of {N1} and {N2}.",
            "{FIRST#a} looked at {FIRST#b}. \"We have to leave {CITY} tonight,\" [she|he] said. {FIRST#b} [nodded|frowned], thinking about the {N1} and the {N2}.",
            "Chapter {NUM}: The {TN}\n\n{FIRST#a} [woke up|arrived] in {CITY} [on {DATE}|at dawn]. {ROLE} was waiting with {FIRST#b}.",
            "Create a dialogue between {FIRST#a} and {ROLE} about {N1}.\n\n{FIRST#a}: [Why|How] [did|do] you [know|say] that?\n{ROLE_BARE}: Because of the {N2}.",
            "Give me [10|five|some] [names|ideas] for a [fantasy|sci-fi] [villain|kingdom|dragon]. Themes: {N1}, {N2}.",
            "How would the {N1} have changed the villain's personality or motives?",
        ])
        n1, n2 = rng.sample(NOUNS, 2)
        role = rng.choice(ROLES)
        t = (t.replace("{N1}", n1).replace("{N2}", n2).replace("{ROLE_BARE}", role.split(" ", 1)[1])
             .replace("{ROLE}", role).replace("{TN}", titled(rng.choice(NOUNS))))
        return G.render(t, self.values, c)

    KINDS = {"answer": 35, "data": 20, "document": 20, "foreign": 10, "story": 15}

    def message(self):
        kind = self.rng.choices(list(self.KINDS), weights=list(self.KINDS.values()))[0]
        pieces = getattr(self, kind)()
        text, spans = G.assemble(pieces)
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        spans = [[s - lead, e - lead, l] for s, e, l in spans if l]
        return text, spans, kind


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--out")
    ap.add_argument("--preview", action="store_true")
    args = ap.parse_args()
    gen = RealChatGen(args.seed)
    from collections import Counter
    lab_c, kind_c = Counter(), Counter()
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    for i in range(args.n):
        text, spans, kind = gen.message()
        G.check(text, spans)
        lab_c.update(l for _, _, l in spans)
        kind_c[kind] += 1
        G.emit(out, args.preview, "rc-%d-%06d" % (args.seed, i), text, spans)
    if out:
        out.close()
    print("labels: %s; kinds: %s" % (dict(lab_c.most_common()), dict(kind_c.most_common())), file=sys.stderr)


if __name__ == "__main__":
    main()
