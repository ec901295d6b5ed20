#!/usr/bin/env python3
"""Write Scrim's bundled examples (stdlib only, Python >= 3.8).

    python3 tools/build_examples.py          # writes examples/conversations.jsonl, examples/*.jpg
    python3 tools/build_examples.py --check  # fail if the files on disk differ from what it would write

Outputs:
  examples/conversations.jsonl  conversation records in the input shape Scrim redacts, one plain
                                document record, and one malformed record (to show quarantine)
  examples/photo-with-gps.jpg   an 8x8 grey baseline JPEG whose EXIF (APP1) carries camera make and
                                model, an Artist name, a DateTime and a GPS IFD (latitude, longitude,
                                altitude, date stamp): metadata that redaction must strip
  examples/photo-clean.jpg      the same image without any metadata segment

Everything in the examples is invented. They are for demos and docs, not for measuring detectors
(that is tests/chat/).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "examples")

# --------------------------------------------------------------------------------------------
# A minimal JPEG, byte by byte

# TIFF field types
BYTE, ASCII, SHORT, LONG, RATIONAL = 1, 2, 3, 4, 5
TYPE_SIZE = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8}


def _segment(marker: int, payload: bytes) -> bytes:
    """A JPEG marker segment: FF xx, then a big-endian length that counts itself."""
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _ifd(entries, ifd_offset: int, next_ifd: int = 0):
    """Pack one little-endian TIFF IFD placed at ifd_offset (relative to the TIFF header).

    entries: [(tag, type, count, value)], value = bytes already packed little-endian, or an int
    placeholder resolved by the caller (for LONG offsets). Returns (ifd_bytes, data_bytes): values
    longer than 4 bytes go to a data area right after the IFD.
    """
    entries = sorted(entries)
    n = len(entries)
    data_offset = ifd_offset + 2 + 12 * n + 4
    head = struct.pack("<H", n)
    data = b""
    for tag, typ, count, value in entries:
        if len(value) != TYPE_SIZE[typ] * count:
            raise ValueError("tag %#x: %d bytes for %d x type %d" % (tag, len(value), count, typ))
        if len(value) <= 4:
            field = value.ljust(4, b"\0")
        else:
            field = struct.pack("<I", data_offset + len(data))
            data += value
            if len(data) % 2:
                data += b"\0"  # keep offsets word-aligned
        head += struct.pack("<HHI", tag, typ, count) + field
    head += struct.pack("<I", next_ifd)
    return head, data


def _ascii(s: str) -> bytes:
    return s.encode("ascii") + b"\0"


def _rationals(*pairs) -> bytes:
    return b"".join(struct.pack("<II", num, den) for num, den in pairs)


def exif_app1() -> bytes:
    """APP1 'Exif' segment: IFD0 (Make, Model, Orientation, DateTime, Artist, GPS pointer) + GPS IFD."""
    ifd0_offset = 8
    make, model = _ascii("Pixelon"), _ascii("P7 Pro")
    when, artist = _ascii("2025:06:28 14:03:11"), _ascii("Hailey Mills")
    ifd0_entries = [
        (0x010F, ASCII, len(make), make),
        (0x0110, ASCII, len(model), model),
        (0x0112, SHORT, 1, struct.pack("<H", 1)),
        (0x0132, ASCII, len(when), when),
        (0x013B, ASCII, len(artist), artist),
        (0x8825, LONG, 1, struct.pack("<I", 0)),  # GPS IFD offset, patched below
    ]
    ifd0, data0 = _ifd(ifd0_entries, ifd0_offset)
    gps_offset = ifd0_offset + len(ifd0) + len(data0)
    ifd0_entries[-1] = (0x8825, LONG, 1, struct.pack("<I", gps_offset))
    ifd0, data0 = _ifd(ifd0_entries, ifd0_offset)
    # 43°37'4.32" N, 116°11'58.44" W, 824.0 m: downtown Boise, Idaho (a public landmark area)
    gps_entries = [
        (0x0000, BYTE, 4, bytes([2, 3, 0, 0])),            # GPSVersionID 2.3.0.0
        (0x0001, ASCII, 2, _ascii("N")),                     # GPSLatitudeRef
        (0x0002, RATIONAL, 3, _rationals((43, 1), (37, 1), (432, 100))),
        (0x0003, ASCII, 2, _ascii("W")),                     # GPSLongitudeRef
        (0x0004, RATIONAL, 3, _rationals((116, 1), (11, 1), (5844, 100))),
        (0x0005, BYTE, 1, bytes([0])),                       # above sea level
        (0x0006, RATIONAL, 1, _rationals((8240, 10))),
        (0x001D, ASCII, 11, _ascii("2025:06:28")),           # GPSDateStamp
    ]
    gps, gps_data = _ifd(gps_entries, gps_offset)
    tiff = b"II*\0" + struct.pack("<I", ifd0_offset) + ifd0 + data0 + gps + gps_data
    return _segment(0xE1, b"Exif\0\0" + tiff)


def tiny_jpeg(with_exif: bool) -> bytes:
    """An 8x8, 1-component, baseline (SOF0) JPEG whose only block is flat mid-grey.

    Huffman tables are minimal but legal: DC has codes "0" -> category 0 and "10" -> category 1;
    AC has "0" -> EOB (0x00) and "10" -> 0x01. The single block is DC diff 0 ("0") then EOB
    ("0"), i.e. bits 00, padded with 1-bits to the byte 0x3F.
    """
    soi, eoi = b"\xFF\xD8", b"\xFF\xD9"
    dqt = _segment(0xDB, bytes([0x00]) + bytes([1] * 64))                      # table 0, 8-bit, all 1
    sof0 = _segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + bytes([1, 0x11, 0]))  # 8x8, 1 comp
    bits = bytes([1, 1] + [0] * 14)                                               # 1 code of len 1, 1 of len 2
    dht_dc = _segment(0xC4, bytes([0x00]) + bits + bytes([0x00, 0x01]))
    dht_ac = _segment(0xC4, bytes([0x10]) + bits + bytes([0x00, 0x01]))
    sos = _segment(0xDA, bytes([1, 1, 0x00, 0, 63, 0]))
    scan = bytes([0x3F])
    app1 = exif_app1() if with_exif else b""
    return soi + app1 + dqt + sof0 + dht_dc + dht_ac + sos + scan + eoi


def check_jpeg_structure(data: bytes):
    """Walk the marker segments; return the list of markers (raises on a malformed stream)."""
    if data[:2] != b"\xFF\xD8" or data[-2:] != b"\xFF\xD9":
        raise ValueError("missing SOI/EOI")
    i, seen = 2, []
    while i < len(data):
        if data[i] != 0xFF:
            raise ValueError("expected a marker at %d" % i)
        m = data[i + 1]
        seen.append(m)
        if m == 0xD9:
            break
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        i += 2 + length
        if m == 0xDA:  # entropy-coded data up to the next non-RST marker
            while not (data[i] == 0xFF and data[i + 1] not in (0x00,) and not 0xD0 <= data[i + 1] <= 0xD7):
                i += 1
    return seen


# --------------------------------------------------------------------------------------------
# example records


def records(photo_b64: str, clean_b64: str):
    rows = []
    rows.append({
        "id": "c1",
        "subject": "user-123",
        "source": "ai_chat",
        "created_at": "2025-07-01T12:00:00Z",
        "messages": [
            {"role": "user", "content": "hi! I'm Hailey, just moved to Boise with my roommate Priscilla. "
                                        "know any good sushi places near 1517 W Hays St? here's my new kitchen btw"},
            {"role": "assistant", "content": "Welcome to Boise, Hailey! For sushi near downtown, look for places "
                                             "with omakase nights. Nice kitchen, lots of light!"},
            {"role": "user", "content": "thanks!! if you find a class, my email is hailey.mills.boi@gmail.com "
                                        "and my cell is (208) 555-0119"},
            {"role": "assistant", "content": "I can't send emails, but search for \"sushi rolling class Boise\"; "
                                             "several cooking schools list them with online booking."},
        ],
        "profile": {"first_name": "Hailey", "city": "Boise", "gender": "female", "age": 29,
                    "hobbies": ["sushi", "trail running"]},
        "attachments": [{"id": "a1", "media_type": "image/jpeg", "data": photo_b64}],
    })
    rows.append({
        "id": "c2",
        "subject": "user-456",
        "source": "ai_chat",
        "created_at": "2025-07-02T08:15:30Z",
        "messages": [
            {"role": "user", "content": "namaste, mera naam Arjun Bhatnagar hai. Zeltrix Softech se offer letter "
                                        "aaya hai, joining 1st August ko hai. HR ne PAN BQTPB5521K aur Aadhaar "
                                        "6183 7204 9520 email pe maanga hai, bhejun kya?"},
            {"role": "assistant", "content": "Arjun ji, joining ke time PAN aur Aadhaar maangna normal hai, lekin "
                                             "pehle confirm karo ki email company ke official domain se aaya hai. "
                                             "Documents password-protected PDF mein bhejo."},
            {"role": "user", "content": "ok. HR ka number +91 80 4718 2290 hai, call karke confirm karta hoon"},
            {"role": "assistant", "content": "Badhiya. Call karke confirm karna sabse safe hai. All the best!"},
        ],
    })
    rows.append({
        "id": "c3",
        "subject": "user-789",
        "source": "ai_chat",
        "created_at": "2025-07-03T19:42:00Z",
        "messages": [
            {"role": "user", "content": "My order #884-2291703 never showed up. Ship-to: Gwendolyn Achterberg, "
                                        "66 Juniper Ct, Unit 12, Fort Collins, CO 80521. Paid $214.50 with "
                                        "5319 0488 2760 1133."},
            {"role": "assistant", "content": "Sorry about that, Gwendolyn. Please don't share full card numbers; "
                                             "the order number and shipping address are enough for the seller."},
            {"role": "user", "content": "ok, removed. can you draft a refund request?"},
            {"role": "assistant", "content": "\"Hello, order #884-2291703 to 66 Juniper Ct, Unit 12, Fort Collins, "
                                             "CO 80521 never arrived. Please refund $214.50 to my original payment "
                                             "method. Thank you, Gwendolyn Achterberg\""},
        ],
        "profile": {"first_name": "Gwendolyn", "city": "Fort Collins"},
    })
    rows.append({
        "id": "c4",
        "subject": "user-123",
        "source": "ai_chat",
        "created_at": "2025-07-04T22:05:10Z",
        "messages": [
            {"role": "user", "content": "can't sleep. my ex Desmond texted me from a new number, 208-555-0162, "
                                        "after I blocked him. I will not answer but my hands are shaking"},
            {"role": "assistant", "content": "That sounds really unsettling. You don't have to answer Desmond. "
                                             "Would it help to block that number too and tell someone you trust?"},
            {"role": "user", "content": "my sister Noor says I should save the texts. she's 34 and a paralegal lol"},
            {"role": "assistant", "content": "Noor gives good advice: keep screenshots with dates in case you ever "
                                             "need a protective order."},
        ],
        "profile": {"first_name": "Hailey", "city": "Boise", "gender": "female", "age": 29,
                    "hobbies": ["sushi", "trail running"]},
    })
    rows.append({
        "id": "c5",
        "subject": "user-321",
        "source": "ai_chat",
        "created_at": "2025-07-05T10:00:00Z",
        "messages": [
            {"role": "user", "content": "my NAS at 192.168.0.23 rejects login for admin_tobi_k since the 7.2.1 "
                                        "update. public IP is 84.152.19.207 if that matters. screenshot attached"},
            {"role": "assistant", "content": "Firmware updates sometimes reset the admin password. Try the recovery "
                                             "procedure on 192.168.0.23 and don't expose the admin page on "
                                             "84.152.19.207 to the internet."},
        ],
        "attachments": [{"id": "a2", "media_type": "image/jpeg", "data": clean_b64}],
    })
    rows.append({
        "id": "c6",
        "subject": "user-654",
        "source": "ai_chat",
        "created_at": "2025-07-06T16:30:00Z",
        "messages": [
            {"role": "user", "content": "Hola, soy Itziar Goikoetxea, nací el 09/11/1987. Tengo cita en el "
                                        "Hospital de Cruces el 22 de julio y me piden el DNI 72946183G. "
                                        "Mi móvil es +34 655 31 27 40 por si hace falta."},
            {"role": "assistant", "content": "Hola Itziar. Lleva el DNI y la tarjeta sanitaria el 22 de julio; "
                                             "no hace falta enviar tus datos por aquí."},
        ],
        "profile": {"first_name": "Itziar", "city": "Bilbao", "gender": "female", "age": 37},
    })
    rows.append({
        "id": "c7",
        "subject": "user-987",
        "source": "ai_chat",
        "created_at": "2025-07-07T07:45:00Z",
        "messages": [
            {"role": "user", "content": "how long should I boil an egg for a jammy yolk? I have 6 eggs and the "
                                        "pot holds about 2 liters"},
            {"role": "assistant", "content": "About 6.5 minutes from boiling, then straight into ice water for "
                                             "2 minutes. 6 eggs in 2 liters is fine."},
        ],
    })
    rows.append({
        "id": "m1",
        "subject": "user-123",
        "source": "dm",
        "created_at": "2025-07-08T21:10:00Z",
        "messages": [
            {"role": "user", "content": "Priscilla, it's Hailey. Spare key is under the blue pot at 1517 W Hays St, "
                                        "door code 4471. Don't tell anyone."},
        ],
    })
    rows.append({
        "id": "d1",
        "text": "Referral note: Mr. Oskar Lindqvist (DOB 03/02/1958, SSN 529-41-7736) of 4 Birchwood Lane, "
                "Montpelier, VT 05602, tel. 802-555-0187, oskar.lindqvist@fastmail.com, is referred to "
                "Dr. Amara Eze for cardiology follow-up on August 12.",
    })
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the files on disk; write nothing")
    args = ap.parse_args(argv)

    photo, clean = tiny_jpeg(True), tiny_jpeg(False)
    for name, data in (("photo-with-gps.jpg", photo), ("photo-clean.jpg", clean)):
        markers = check_jpeg_structure(data)
        assert markers[-1] == 0xD9 and 0xC0 in markers and 0xDA in markers, (name, markers)
    lines = [json.dumps(r, ensure_ascii=False, separators=(", ", ": "))
             for r in records(base64.b64encode(photo).decode("ascii"),
                              base64.b64encode(clean).decode("ascii"))]
    # a record that must be quarantined: message content is not a string
    lines.append('{"id": "bad1", "messages": [{"role": "user", "content": 42}]}')
    jsonl = ("\n".join(lines) + "\n").encode("utf-8")

    outputs = {"conversations.jsonl": jsonl, "photo-with-gps.jpg": photo, "photo-clean.jpg": clean}
    if args.check:
        stale = []
        for name, data in outputs.items():
            try:
                with open(os.path.join(OUT, name), "rb") as f:
                    if f.read() != data:
                        stale.append(name)
            except OSError:
                stale.append(name)
        if stale:
            print("stale in examples/: %s (run python3 tools/build_examples.py)" % ", ".join(stale),
                  file=sys.stderr)
            return 1
        return 0
    os.makedirs(OUT, exist_ok=True)
    for name, data in outputs.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
