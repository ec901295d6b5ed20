#!/usr/bin/env python3
"""Generate crates/scrim-core/data/product_words.txt: names of software, libraries, products and
brands ("nginx", "kubernetes", "redux", "coursera", "chromecast"), one lowercase word a line.

Usage: python3 tools/gen_product_words.py

The name detector guesses that a capitalised word no list knows is a person ("names:proper-noun",
"names:unknown-opening"). A word of this list is not such a guess: it only clears words that are
no known given name, family name or place, so the list may be broad. Sources (see
crates/scrim-core/data/NOTICE.md):

  simple-icons        npm, CC0-1.0: brand titles and their aliases ("Google Chromecast", "Node.js")
  @iconify-json/logos npm, CC0-1.0: slugs of technology logos ("adonisjs", "kubernetes")
  Pygments            PyPI, BSD-2-Clause: lexer names, aliases and file names ("Starlark",
                      "Vagrantfile")
  Debian 12 packages  the package index apt keeps (run `apt-get update` first): binary and source
                      package names with their ecosystem prefixes and suffixes taken off
                      ("python3-scrapy" -> "scrapy", "node-redux" -> "redux")

From each name we keep single words: the name split on anything that is not a letter or digit,
pieces of letters only, lowercased, 4 letters or more; a name written with a dot or a space
inside ("Node.js", "Open Layers") also gives its pieces joined ("nodejs", "openlayers"). From a
Debian name we keep its first word (the product: "elasticsearch-curator" -> "elasticsearch")
and any other word that recurs in the names of at least RECUR different source packages (brand
tokens: "kubernetes", "chromecast"); Go packages lose their host and owner ("golang-github-OWNER-"),
which are often a person's handle. Words the detector never guesses anyway are dropped: English
dictionary words, words of Zipf frequency 3.0 or more (data/common_words.txt), and known given
names, family names and places (data/first_names.txt, surnames.txt, places.txt). Nothing is taken
from any evaluation corpus. Same pins and the same Debian point release give the same bytes.
"""

from __future__ import annotations

import collections
import glob
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

PYGMENTS = "pygments==2.18.0"
NPM = {"simple-icons": "16.37.0", "@iconify-json/logos": "1.2.20"}
DEBIAN = "bookworm"
VENV = "/tmp/scrim-productwords-venv"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "scrim-core", "data")
OUT = os.path.join(DATA, "product_words.txt")
# A word of a Debian package name other than its first is kept when this many source packages
# have it in their names.
RECUR = 3
# Zipf frequency from which the detector takes a word for a common word (score.rs COMMON_WORD).
COMMON_WORD = 3.0
MIN_LEN = 4
WORD = re.compile(r"^[a-z]+$")
PIECES = re.compile(r"[^a-z0-9]+")

# Ecosystem prefixes and suffixes of Debian package names, longest first.
DEB_PREFIXES = (
    "python3-", "python-", "pypy3-", "pypy-", "node-", "ruby-", "r-cran-", "r-bioc-", "r-other-",
    "php-", "lua-", "ocaml-", "elpa-", "haskell-", "libghc-", "librust-", "rust-", "golang-",
    "gir1.2-", "fonts-", "xfonts-", "gnome-shell-extension-", "texlive-", "vim-", "emacs-",
    "gstreamer1.0-", "kde-", "xserver-xorg-video-", "xserver-xorg-input-", "nagios-plugins-",
    "puppet-module-", "sphinx-", "jupyter-", "octave-", "coq-", "elixir-", "erlang-", "tcl-",
)
DEB_SUFFIXES = (
    "-perl", "-java", "-dev", "-doc", "-dbg", "-dbgsym", "-common", "-data", "-bin", "-utils",
    "-tools", "-ocaml", "-ocaml-dev", "-clojure", "-el", "-cil", "-tcl", "-lua",
)
# Go import path hosts whose next word is an owner (a user or organisation handle).
GO_HOSTS = ("github", "gitlab", "bitbucket", "sourcehut", "codeberg", "gitea")
# Words of logo slugs and brand titles that describe the logo, not the brand.
LOGO_WORDS = {"icon", "wordmark", "alt", "inverted", "plain", "original", "line", "dark", "light"}


def ensure_venv() -> None:
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call(
        [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PYGMENTS]
    )
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


def pieces(name: str) -> list[str]:
    """The words of a name: letters-only pieces, lowercased (no length filter yet)."""
    return [p for p in PIECES.split(name.lower()) if WORD.match(p)]


def title_words(title: str) -> set[str]:
    """The words of a brand or product title, and the title joined when it has a dot or a space
    inside ("Node.js" -> node, js, nodejs)."""
    out = set(pieces(title)) - LOGO_WORDS
    joined = re.sub(r"[\s.\-]+", "", title.lower())
    if WORD.match(joined):
        out.add(joined)
    return out


def npm_package(name: str, version: str, tmp: str) -> tarfile.TarFile:
    """The tarball of an npm package, fetched with `npm pack`."""
    out = subprocess.check_output(
        ["npm", "pack", "--silent", f"{name}@{version}"], cwd=tmp, text=True
    )
    return tarfile.open(os.path.join(tmp, out.strip().splitlines()[-1]))


def simple_icons(tmp: str) -> set[str]:
    tar = npm_package("simple-icons", NPM["simple-icons"], tmp)
    icons = json.load(tar.extractfile("package/data/simple-icons.json"))
    words: set[str] = set()
    for icon in icons:
        titles = [icon["title"]]
        aliases = icon.get("aliases", {})
        titles += aliases.get("aka", [])
        titles += [d["title"] for d in aliases.get("dup", [])]
        titles += list(aliases.get("loc", {}).values())
        for t in titles:
            words |= title_words(t)
    return words


def iconify_logos(tmp: str) -> set[str]:
    tar = npm_package("@iconify-json/logos", NPM["@iconify-json/logos"], tmp)
    data = json.load(tar.extractfile("package/icons.json"))
    words: set[str] = set()
    for slug in list(data["icons"]) + list(data.get("aliases", {})):
        words |= set(pieces(slug)) - LOGO_WORDS
    return words


def pygments_words() -> set[str]:
    from pygments.lexers import get_all_lexers

    words: set[str] = set()
    for name, aliases, filenames, _mimes in get_all_lexers():
        words |= title_words(name)
        for a in aliases:
            words |= set(pieces(a))
        for f in filenames:
            if "*" not in f and "." not in f.strip("."):
                words |= set(pieces(f))  # "Vagrantfile", "Jenkinsfile", "SConstruct"
    return words


def debian_release() -> str:
    """The point release of the Debian index apt holds, e.g. "12.14"."""
    for path in glob.glob(f"/var/lib/apt/lists/*_dists_{DEBIAN}_InRelease"):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    sys.exit(f"no Debian {DEBIAN} package index: run `apt-get update` on a Debian {DEBIAN} machine")


def debian_names() -> list[tuple[str, str]]:
    """(binary package, source package) of every package in apt's index."""
    out = subprocess.check_output(["apt-cache", "dumpavail"], text=True, errors="replace")
    pairs = []
    for record in out.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in record.splitlines() if ": " in line and line[0] != " "
        )
        if "Package" in fields:
            source = fields.get("Source", fields["Package"]).split(" ")[0]
            pairs.append((fields["Package"], source))
    return pairs


def debian_words_of(name: str) -> tuple[list[str], list[str]]:
    """The words of a Debian package name, ecosystem prefix and suffix taken off: the product
    words (the first, and for "python3-pyNAME" also NAME) and all of them."""
    n = name
    for p in DEB_PREFIXES:
        if n.startswith(p):
            n = n[len(p):]
            break
    if name.startswith("golang-"):
        parts = n.split("-")
        if parts and parts[0] in GO_HOSTS:
            parts = parts[2:]  # host and owner
        elif parts and parts[0] in ("gopkg", "google", "golang"):
            parts = parts[1:]
        n = "-".join(parts)
    changed = True
    while changed:
        changed = False
        for s in DEB_SUFFIXES:
            if n.endswith(s) and len(n) > len(s):
                n = n[: -len(s)]
                changed = True
    # A library package: "libfoo6", "libfoo-dev", "libfoo-perl"; not "libreoffice".
    if re.match(r"^lib[a-z]", n) and (n != name or re.search(r"\d$", n)):
        n = n[3:]
    n = re.sub(r"[\d.]+$", "", n)  # soname and version ("libssl3" -> "ssl")
    words = pieces(n)
    heads = words[:1]
    # A Python module named "py" + its subject: "python3-pychromecast" -> also "chromecast".
    if name.startswith(("python3-py", "python-py")) and words and words[0].startswith("py"):
        heads.append(words[0][2:])
    return heads, words


def debian_words() -> set[str]:
    firsts: set[str] = set()
    sources_of: dict[str, set[str]] = collections.defaultdict(set)
    for package, source in debian_names():
        for name in {package, source}:
            heads, ws = debian_words_of(name)
            firsts.update(heads)
            for w in ws:
                sources_of[w].add(source)
    recurring = {w for w, s in sources_of.items() if len(s) >= RECUR}
    return firsts | recurring


def read_list(file: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with open(os.path.join(DATA, file), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            out.setdefault(f[0], f[1:])
    return out


def main() -> None:
    ensure_venv()
    import pygments

    if pygments.__version__ != PYGMENTS.split("==")[1]:
        sys.exit(f"pygments {pygments.__version__} installed, {PYGMENTS} pinned")
    release = debian_release()
    with tempfile.TemporaryDirectory() as tmp:
        sources = {
            "simple-icons": simple_icons(tmp),
            "iconify-logos": iconify_logos(tmp),
            "pygments": pygments_words(),
            "debian": debian_words(),
        }
    common = read_list("common_words.txt")
    names = set(read_list("first_names.txt")) | set(read_list("surnames.txt"))
    places = set(read_list("places.txt"))

    def inert(w: str) -> bool:
        """Words the detector never guesses as a person: the flag would change nothing."""
        c = common.get(w)
        return bool(c and (float(c[0]) >= COMMON_WORD or c[1] == "d"))

    found = {w for ws in sources.values() for w in ws if len(w) >= MIN_LEN}
    candidates = {w for w in found if not inert(w)}
    known = candidates & names
    keep = sorted(candidates - names - places)
    stats = {k: len({w for w in v if w in candidates}) for k, v in sources.items()}
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("# Names of software, libraries, products and brands, lowercase, one word a line.\n")
        fh.write(
            f"# Sources: npm simple-icons {NPM['simple-icons']} (CC0-1.0), "
            f"npm @iconify-json/logos {NPM['@iconify-json/logos']} (CC0-1.0), "
            f"Pygments {PYGMENTS.split('==')[1]} lexers (BSD-2-Clause), "
            f"Debian {release} ({DEBIAN}) package names.\n"
        )
        fh.write("# Generated by tools/gen_product_words.py; see NOTICE.md; do not edit.\n")
        for w in keep:
            fh.write(w + "\n")
    print(f"{len(keep)} words in {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes)")
    print(f"words of 4+ letters, not common, per source: {stats}")
    print(
        f"{len(known)} of {len(candidates)} such words ({100 * len(known) / len(candidates):.1f}%) "
        "are known given or family names (left out: the detector keeps them names)"
    )


if __name__ == "__main__":
    main()
