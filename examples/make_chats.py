"""Write a small Parquet table of invented chats to try the engine examples on (columns `id`,
`subject`, `source`, `messages` as list<struct<role, content>>).

    python examples/make_chats.py chats.parquet [--rows 24]
"""

import argparse

import pyarrow as pa
import pyarrow.parquet as pq

PEOPLE = [
    ("user-123", "Priya Sharma", "+91 98765 43210", "priya.sharma@example.com"),
    ("user-456", "Oskar Lindqvist", "+46 70 123 45 67", "oskar@example.se"),
    ("user-789", "Amara Okafor", "+1 206 555 0143", "amara.okafor@example.org"),
]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("output")
    p.add_argument("--rows", type=int, default=24)
    a = p.parse_args()
    rows = []
    for i in range(a.rows):
        subject, name, phone, email = PEOPLE[i % len(PEOPLE)]
        rows.append(
            {
                "id": f"c{i}",
                "subject": subject,
                "source": "ai_chat",
                "messages": [
                    {"role": "user", "content": f"hi, I'm {name}, call me at {phone} or write to {email}"},
                    {"role": "assistant", "content": f"Thanks {name.split()[0]}, noted."},
                ],
            }
        )
    pq.write_table(pa.Table.from_pylist(rows), a.output)


if __name__ == "__main__":
    main()
