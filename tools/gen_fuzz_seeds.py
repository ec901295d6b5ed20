#!/usr/bin/env python3
"""Generate the fuzz targets' seed corpora (fuzz/corpus/<target>/).

Every input is made here, by hand-built bytes: tiny JPEG, PNG, WebP and GIF images carrying
EXIF (with GPS), XMP, comments and thumbnails; JSONL lines of every record shape; policies
derived from policies/; request bodies for each gateway route. Nothing is copied from outside
the repository, and every name, address and number is made up.

    python3 tools/gen_fuzz_seeds.py        # rewrites fuzz/corpus/
"""
import base64
import json
import shutil
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"


def write(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / name).write_bytes(data)


# --- images -------------------------------------------------------------------------------------

def exif_tiff():
    """A big-endian TIFF block: IFD0 with Make and a GPS IFD (N 48 51 24)."""
    p = b"MM\x00\x2a\x00\x00\x00\x08"
    # IFD0: 2 entries: Make (ASCII, 4 bytes inline "Acm\0"), GPSInfo -> offset 38.
    p += struct.pack(">H", 2)
    p += struct.pack(">HHI4s", 0x010F, 2, 4, b"Acm\x00")
    p += struct.pack(">HHII", 0x8825, 4, 1, 38)
    p += struct.pack(">I", 0)
    # GPS IFD at 38: LatitudeRef 'N', Latitude 3 RATIONAL at 68.
    p += struct.pack(">H", 2)
    p += struct.pack(">HHI4s", 1, 2, 2, b"N\x00\x00\x00")
    p += struct.pack(">HHII", 2, 5, 3, 68)
    p += struct.pack(">I", 0)
    for num in (48, 51, 24):
        p += struct.pack(">II", num, 1)
    return p


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ada Example</dc:creator>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta>')
COMMENT = b"taken at 12 Example Lane"


def seg(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jfif(thumb=(0, 0)):
    w, h = thumb
    return b"JFIF\x00\x01\x02\x00\x00\x01\x00\x01" + bytes([w, h]) + b"\x80" * (3 * w * h)


def jpeg_image(progressive=False):
    """A decodable 1x1 grayscale baseline JPEG body (DQT .. EOI): one block, DC 0, EOB."""
    dqt = seg(0xDB, b"\x00" + b"\x01" * 64)
    sof = seg(0xC2 if progressive else 0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
    dht_dc = seg(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
    dht_ac = seg(0xC4, b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00")
    sos = seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return dqt + sof + dht_dc + dht_ac + sos + b"\x3f" + b"\xff\xd9"


def jpegs():
    exif = seg(0xE1, b"Exif\x00\x00" + exif_tiff())
    xmp = seg(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP)
    soi = b"\xff\xd8"
    yield "plain.jpg", soi + seg(0xE0, jfif()) + jpeg_image()
    yield "exif_gps_xmp_com.jpg", (soi + seg(0xE0, jfif()) + exif + xmp + seg(0xFE, COMMENT)
                                  + jpeg_image())
    icc = seg(0xE2, b"ICC_PROFILE\x00\x01\x01" + b"fake profile")
    adobe = seg(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")
    yield "thumb_icc_adobe_iptc_mpf_trailer.jpg", (
        soi + seg(0xE0, jfif((1, 1))) + seg(0xE0, b"JFXX\x00\x10thumb") + icc
        + seg(0xE2, b"MPF\x00II*\x00") + seg(0xED, b"Photoshop 3.0\x008BIM\x04\x04caption")
        + adobe + seg(0xEC, b"Ducky") + jpeg_image() + b"\xff\xd8second image Exif")
    # Progressive: two scans with a comment between, stuffed bytes and a restart marker.
    body = jpeg_image(progressive=True)[:-2]
    second = seg(0xDA, b"\x01\x01\x00\x01\x3f\x00") + b"\xab\xff\x00\xcd\xff\xd0\x3f"
    yield "progressive_two_scans.jpg", (soi + exif + body + seg(0xFE, COMMENT) + second
                                        + b"\xff\xff\xd9")
    yield "truncated.jpg", (soi + exif + jpeg_image())[:40]


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG_SIG = b"\x89PNG\r\n\x1a\n"


def pngs():
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
    idat = chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\xff"))
    iend = chunk(b"IEND", b"")
    yield "plain.png", PNG_SIG + ihdr + idat + iend
    meta = (chunk(b"gAMA", struct.pack(">I", 45455)) + chunk(b"sRGB", b"\x00")
            + chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))
            + chunk(b"tEXt", b"Author\x00Ada Example")
            + chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(COMMENT))
            + chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP)
            + chunk(b"eXIf", exif_tiff())
            + chunk(b"tIME", struct.pack(">HBBBBB", 2024, 5, 1, 12, 0, 0))
            + chunk(b"prVt", b"private"))
    yield "exif_text_xmp_time.png", PNG_SIG + ihdr + meta + idat + iend + b"trailing bytes"
    apng = (chunk(b"acTL", struct.pack(">II", 2, 0))
            + chunk(b"fcTL", struct.pack(">IIIIIHHBB", 0, 1, 1, 0, 0, 1, 10, 0, 0)) + idat
            + chunk(b"fcTL", struct.pack(">IIIIIHHBB", 1, 1, 1, 0, 0, 1, 10, 0, 0))
            + chunk(b"fdAT", struct.pack(">I", 2) + zlib.compress(b"\x00\x00\xff\x00\xff")))
    yield "apng_with_exif.png", PNG_SIG + ihdr + chunk(b"eXIf", exif_tiff()) + apng + iend
    yield "truncated.png", (PNG_SIG + ihdr + idat)[:30]


# Tiny WebP bitstreams (1x1), as used by common feature-detection snippets.
VP8L = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")[12:]
VP8 = base64.b64decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")[12:]


def riff_chunk(fourcc, data):
    out = fourcc + struct.pack("<I", len(data)) + data
    return out + (b"\x00" if len(data) % 2 else b"")


def riff(chunks):
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webps():
    yield "lossless.webp", riff([VP8L])
    yield "lossy.webp", riff([VP8])
    # VP8X with ICC, EXIF and XMP flags; canvas 1x1.
    vp8x = riff_chunk(b"VP8X", bytes([0x20 | 0x08 | 0x04, 0, 0, 0]) + b"\x00\x00\x00" * 2)
    yield "extended_exif_xmp.webp", riff([
        vp8x, riff_chunk(b"ICCP", b"fake icc profile"), VP8L,
        riff_chunk(b"EXIF", exif_tiff()), riff_chunk(b"XMP ", XMP), riff_chunk(b"ZZZZ", b"odd")])
    anim = riff_chunk(b"VP8X", bytes([0x02 | 0x08, 0, 0, 0]) + b"\x00\x00\x00" * 2)
    anmf = riff_chunk(b"ANMF", b"\x00" * 6 + b"\x00\x00\x00" * 2 + b"\x64\x00\x00\x00" + VP8L)
    yield "animated_exif_trailer.webp", riff([
        anim, riff_chunk(b"ANIM", b"\xff\xff\xff\xff\x00\x00"), anmf,
        riff_chunk(b"EXIF", exif_tiff())]) + b"after the riff"
    yield "truncated.webp", riff([vp8x, VP8L])[:-3]


def gifs():
    head = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = (b"\x21\xf9\x04\x00\x00\x00\x00\x00" + b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0)
             + b"\x02\x02\x44\x01\x00")
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    comment = b"\x21\xfe" + bytes([len(COMMENT)]) + COMMENT + b"\x00"
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes([60]) + XMP[:60] + b"\x00"
    icc = b"\x21\xff\x0bICCRGBG1012\x04fake\x00"
    yield "plain.gif", head + image + b"\x3b"
    yield "comment_xmp_icc_loop.gif", head + loop + comment + xmp + icc + image + b"\x3btrailer"
    yield "no_trailer.gif", head + comment + image
    yield "gif87a_two_frames.gif", b"GIF87a" + head[6:] + image + image + b"\x3b"


def media():
    for gen in (jpegs, pngs, webps, gifs):
        for name, data in gen():
            write("media", name, data)
    write("media", "not_an_image.txt", b"hello, not an image")


# --- records and text ---------------------------------------------------------------------------

TINY_PNG = dict(pngs())["exif_text_xmp_time.png"]

RECORDS = [
    {"id": "c1", "subject": "s1", "source": "ai_chat", "messages": [
        {"role": "user", "content": "Hi, I'm Maya Okafor, email maya.okafor@example.com"},
        {"role": "assistant", "content": "Hello Maya!"}]},
    {"id": 7, "text": "Call me at +1 (208) 555-0142 or write to 12 Example Lane, Boise."},
    {"id": 18446744073709551617, "text": "an id beyond 64 bits"},
    {"id": "c2", "messages": [{"role": "user", "content": None}, {"role": "tool"}],
     "profile": {"first_name": "Maya", "city": "Lagos", "age": 34, "hobbies": ["chess", "running"]},
     "attachments": [{"id": "a1", "media_type": "image/png", "filename": "maya.png",
                      "caption": "me at home", "data": base64.b64encode(TINY_PNG).decode()}]},
    {"id": "f1", "text": "I am Ravi, ravi@example.org", "messages": [{"role": "user", "content": "hello"}]},
    {"id": "oa1", "title": "Trip to Paris with Jean Dupont", "user": {"email": "jean@example.fr"},
     "messages": [{"role": "user", "name": "jean_dupont", "content": "book a table",
                   "metadata": {"ip": "203.0.113.9"}},
                  {"role": "assistant", "content": None, "tool_calls": [{"id": "t1", "type": "function",
                   "function": {"name": "book", "arguments": "{\"name\":\"Jean Dupont\",\"phone\":\"+33 6 12 34 56 78\"}"}}]}]},
    {"id": "u1", "text": "नमस्ते, मेरा नाम आरव है 😀 and my Aadhaar is 2341 2341 2346"},
    {"messages": []},
]


def records():
    for i, r in enumerate(RECORDS):
        write("record", f"shape_{i}.jsonl", json.dumps(r, ensure_ascii=False))
    write("record", "bom.jsonl", "\ufeff" + json.dumps(RECORDS[0]))
    bad = ['{"id": "x", "messages": "not an array"}', '{"messages": [1]}',
           '{"messages": [{"content": 5}]}', '{"text": 5}', '{"text": "t", "profile": []}',
           '{"text": "t", "attachments": {}}', '[1, 2]', '{"id": "no content"}',
           '{"text": "unterminated', '']
    for i, b in enumerate(bad):
        write("record", f"bad_{i}.jsonl", b)
    write("record", "invalid_utf8.jsonl", b'{"text": "caf\xe9 \xff"}')


TEXTS = [
    "Hi, my name is Priya Raman and my email is priya.raman@example.com.",
    "Call me on +44 20 7946 0958 or 0161 496 0000, card 4111 1111 1111 1111.",
    "IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789, PAN ABCDE1234F, aadhaar 2341 2341 2346.",
    "I live at 221 Example Street, Springfield, and I'm 42 years old; born 3 March 1982.",
    "my daughter Zoe goes to Lincoln Elementary; I work at Acme Corp. @zoe_fan on insta",
    "visit https://example.com/u/jdoe or ping 192.0.2.44 / 2001:db8::1, jdoe at gmail dot com",
    "Je m'appelle Élodie Martin, j'habite à Lyon. Mi chiamo Giulia, vivo a Roma. 我叫李华。",
    "emoji 👩‍👩‍👧 and combining e\u0301 and RTL مرحبا اسمي أحمد and zero\u200bwidth",
    "I have been feeling depressed and my doctor prescribed sertraline; I'm a union member.",
]


def engine():
    for i, t in enumerate(TEXTS):
        write("engine", f"text_{i}.bin", bytes([i % 8]) + t.encode())
    conv = ">first_name: Priya\n>city: Chennai\nHi, Priya here from Chennai.\nHello Priya!\n" \
           "Priya again: my number is 044 2345 6789"
    write("engine", "conversation_with_profile.bin", b"\x01" + conv.encode())
    write("engine", "repeated_name.bin", b"\x00" + ("Maya Okafor said hi. " * 40).encode())


def resolve():
    def enc(text, cands):
        b = bytes([len(cands)])
        for (s, n, label, score) in cands:
            b += struct.pack("<HBBBB", s, n - 1, label, score, 0)
        return b + text.encode()

    t = "write to maya.k@example.com today, Maya Okafor"
    write("resolve", "contained.bin", enc(t, [(9, 4, 0, 230), (9, 18, 1, 250), (35, 11, 0, 200)]))
    write("resolve", "chain.bin", enc("0123456789abcdef", [(0, 6, 0, 230), (4, 6, 3, 150),
                                                        (9, 3, 4, 150), (14, 2, 6, 10)]))
    write("resolve", "ties.bin", enc("Tyler Boyd here", [(0, 5, 0, 200), (0, 10, 0, 180),
                                                       (0, 10, 4, 180), (6, 4, 5, 180)]))
    u = "héllo wörld 😀 ünïcode"
    write("resolve", "unicode.bin", enc(u, [(1, 2, 0, 100), (3, 6, 1, 100), (13, 4, 2, 255),
                                            (0, 40, 14, 0)]))
    many = [(i * 3 % 50, 1 + i % 9, i % 15, (i * 37) % 256) for i in range(64)]
    write("resolve", "many.bin", enc("x" * 60, many))


# --- policies -----------------------------------------------------------------------------------

def policies():
    default = (ROOT / "policies" / "default.toml").read_text()
    write("policy_toml", "default.toml", default)
    write("policy_toml", "minimal.toml", "version = 1\n")
    write("policy_toml", "surrogates.toml",
          'version = 1\n[labels]\ndefault = "surrogate"\nEMAIL = "hash"\nPHONE = "mask"\n'
          'AGE = "keep"\nID = "drop"\n[profile]\naction = "replace"\nseed_detection = false\n'
          '[attachments]\nimages = "strip_metadata"\n')
    write("policy_toml", "model_tier.toml",
          'version = 1\n[detection]\ntiers = ["rules", "model"]\nmodel_gate = "all"\n'
          'model_veto = 0.9\nmin_score = 0.0\n[sensitive]\nwithhold_records_with = ["health", "children"]\n')
    write("policy_toml", "bad_version.toml", "version = 2\n")
    write("policy_toml", "bad_score.toml", "version = 1\n[detection]\nmin_score = 1.5\n")
    gov = (ROOT / "policies" / "governance.toml").read_text()
    write("governance_toml", "default.toml", gov)
    write("governance_toml", "declared.toml",
          'version = 1\n[purposes]\ndeclared = ["support_qa", "eval_2"]\n[records]\n'
          'missing_subject = "admit"\nmissing_source = "forum"\n[sources.forum]\n'
          'purposes = ["support_qa", "training"]\nconsent = "opt_out"\n[sources.app]\n'
          'purposes = ["eval_2"]\nconsent = "opt_in"\n[pseudonyms]\n'
          'subject_scope_purposes = ["training"]\n')
    write("governance_toml", "minimal.toml", "version = 1\n")
    write("governance_toml", "unknown_purpose.toml",
          'version = 1\n[sources.x]\npurposes = ["nope"]\nconsent = "opt_in"\n')
    write("governance_toml", "bad_missing.toml", 'version = 1\n[records]\nmissing_source = "y"\n')


# --- gateway ------------------------------------------------------------------------------------

# The route order of scrim_fuzz_checks::gateway (byte 0 of an input, modulo the count).
ROUTES = ["login", "password", "create_project", "update_project", "ingest", "rating", "flag",
          "create_user", "update_user", "next", "logout", "verify"]


def gateway():
    def body(route, value, name=None):
        raw = value if isinstance(value, (bytes, str)) else json.dumps(value)
        if isinstance(raw, str):
            raw = raw.encode()
        write("gateway", f"{name or route}.bin", bytes([ROUTES.index(route)]) + raw)

    body("login", {"name": "pat", "password": "wrong password"})
    body("login", {"name": 5, "password": []}, "login_types")
    body("password", {"current": "not it", "new": "a new long password"})
    body("password", {"current": "correct horse battery", "new": "correct horse battery"},
         "password_same")
    body("create_project", {"name": "P", "purpose": "human_review",
                            "spec": {"turns": "user", "profile": {"place": "city", "age": "exact", "k": 2},
                                     "images": True, "sensitive": {"health": "withhold"}}})
    body("update_project", {"spec": {"turns": "all", "profile": {"k": 5}}})
    body("ingest", dict(RECORDS[3], subject="s7", source="ai_chat"))
    body("ingest", dict(RECORDS[5], subject="jean@example.fr", source="ai_chat"), "ingest_openai")
    body("ingest", dict(RECORDS[6], subject="s8", source="public_post"), "ingest_document")
    body("ingest", {"id": "n1", "subject": "s9", "source": "dm", "text": "private"}, "ingest_dm")
    body("rating", {"rating": {"score": 4, "comment": "fine"}})
    body("flag", {"message": 0, "start": 0, "end": 4})
    body("flag", {"message": 99, "start": 5, "end": 2}, "flag_bad")
    body("create_user", {"name": "newbie", "role": "reviewer", "projects": [], "clearances": ["health"]})
    body("update_user", {"disabled": False, "projects": [], "clearances": []})
    body("next", b"")
    body("logout", b"")
    body("verify", b"{}")
    body("ingest", b'{"text": "unterminated', "ingest_bad_json")


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    media()
    records()
    engine()
    resolve()
    policies()
    gateway()
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {sum(1 for f in OUT.rglob('*') if f.is_file())} seeds, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
