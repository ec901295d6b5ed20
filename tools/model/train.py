#!/usr/bin/env python3
"""Fine-tune the converted Rampart checkpoint into Scrim's NER model (CPU).

    python tools/model/train.py --gen /tmp/scrim-model/data/gen.jsonl \
        --gen-val /tmp/scrim-model/data/gen-val.jsonl --out /tmp/scrim-model/scrim-hf \
        [--base /tmp/scrim-model/rampart-hf] [--epochs 3] [--lr 5e-5] [--batch 32] [--max-minutes 38]

Data: the 90% training split of wnut16 + conll2003-dev + presidio-synth (corpora.py) plus the
generated chat messages (gen_chats.py).  Validation: the 10% held-out split of those corpora and a
separately seeded generated set, decoded with the same span decoder as eval_model.py and scored
with the reference scorer.  wnut17-dev and tests/chat are never read here.

Tokens: the checkpoint's fast tokenizer (uncased WordPiece) without special tokens, then
[CLS] ... [SEP]; windows of at most 128 tokens (126 content, 32-token overlap for longer
examples).  The first token of a span gets B-X, every later token of the span (continuation
sub-tokens included) I-X, tokens outside spans O, tokens overlapping an "ignore" range and the
special tokens -100.

Case feature (default on): the tokenizer is uncased, so capitalisation is fed back through
token_type_ids (type_vocab_size is 2): 1 when the token's pre-tokenizer word starts with an
uppercase character (eval_model.case_flags), 0 otherwise.  The type-1 embedding row starts as a
copy of row 0.  A runtime that feeds all zeros gets the model's behaviour on lowercase text.

Head: a new 23-way classifier (O + B/I x 11 labels).  Rows are initialised from the Rampart head
where a label has a counterpart (PERSON <- GIVEN_NAME/SURNAME, LOCATION <- CITY/STATE, ADDRESS <-
street parts, EMAIL/PHONE/URL, ID <- tax/bank/routing/government/passport/licence); ORG, DATE,
AGE, USERNAME start from small random rows.
"""
import argparse
import json
import math
import os
import random
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpora  # noqa: E402
from corpora import MODEL_LABELS  # noqa: E402

LABELS = ["O"] + [p + "-" + l for l in MODEL_LABELS for p in ("B", "I")]
LABEL2ID = {l: i for i, l in enumerate(LABELS)}
MAXLEN = 128
INIT_FROM = {
    "PERSON": ["GIVEN_NAME", "SURNAME"], "LOCATION": ["CITY", "STATE"],
    "ADDRESS": ["BUILDING_NUMBER", "STREET_NAME", "SECONDARY_ADDRESS", "ZIP_CODE"],
    "EMAIL": ["EMAIL"], "PHONE": ["PHONE"], "URL": ["URL"],
    "ID": ["TAX_ID", "BANK_ACCOUNT", "ROUTING_NUMBER", "GOVERNMENT_ID", "PASSPORT", "DRIVERS_LICENSE"],
}


def encode_examples(tok, examples, cls_id, sep_id, stride=32, case_feature=True, maxlen=MAXLEN):
    """-> list of (ids, labels, token_types) windows of at most `maxlen` tokens."""
    from eval_model import case_flags
    out = []
    texts = [e["text"] for e in examples]
    encs = tok.encode_batch(texts, add_special_tokens=False)
    for ex, enc in zip(examples, encs):
        n = len(enc.ids)
        labs = [0] * n
        flags = case_flags(ex["text"], enc) if case_feature else [0] * n
        offs = enc.offsets
        # spans
        for s, e, lab in ex["spans"]:
            first = True
            for t in range(n):
                a, b = offs[t]
                if b <= a or b <= s or a >= e:
                    continue
                labs[t] = LABEL2ID[("B-" if first else "I-") + lab]
                first = False
        for s, e in ex.get("ignore", []):
            for t in range(n):
                a, b = offs[t]
                if a < e and b > s:
                    labs[t] = -100
        inner = maxlen - 2
        starts = [0]
        while starts[-1] + inner < n:
            starts.append(starts[-1] + inner - stride)
        for st in starts:
            ids = [cls_id] + enc.ids[st:st + inner] + [sep_id]
            lb = [-100] + labs[st:st + inner] + [-100]
            tt = [0] + flags[st:st + inner] + [0]
            out.append((ids, lb, tt))
    return out


# Labels of the real-chat gold files (tests/realchat/GUIDE.md) as the model's labels; a span
# whose label is not here becomes an "ignore" range (no loss either way).
EXTRA_LABELS = {"IP": "ID", "CREDIT_CARD": "ID", "IBAN": "ID"}


def load_extra(path):
    """Training examples from PATH: gen_chats.py's format, or a gold file with span objects."""
    out = []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        spans, ignore = [], list(d.get("ignore", []))
        for s in d["spans"]:
            if isinstance(s, dict):
                s = [s["start"], s["end"], s["label"]]
            lab = EXTRA_LABELS.get(s[2], s[2])
            if lab in MODEL_LABELS:
                spans.append([s[0], s[1], lab])
            else:
                ignore.append([s[0], s[1]])
        out.append({"id": d["id"], "text": d["text"], "spans": sorted(spans), "ignore": ignore})
    return out


def batches(data, batch_size, rng, shuffle=True):
    idx = list(range(len(data)))
    if shuffle:
        rng.shuffle(idx)
        # bucket by length inside chunks of 50 batches to limit padding
        chunk = batch_size * 50
        idx = [i for c in range(0, len(idx), chunk)
               for i in sorted(idx[c:c + chunk], key=lambda j: len(data[j][0]))]
    bl = [idx[i:i + batch_size] for i in range(0, len(idx), batch_size)]
    if shuffle:
        rng.shuffle(bl)
    return bl


def collate(data, b, torch):
    L = max(len(data[i][0]) for i in b)
    ids = torch.zeros((len(b), L), dtype=torch.long)
    am = torch.zeros((len(b), L), dtype=torch.long)
    lab = torch.full((len(b), L), -100, dtype=torch.long)
    tt = torch.zeros((len(b), L), dtype=torch.long)
    for r, i in enumerate(b):
        x, y, t = data[i]
        ids[r, :len(x)] = torch.tensor(x)
        am[r, :len(x)] = 1
        lab[r, :len(y)] = torch.tensor(y)
        tt[r, :len(t)] = torch.tensor(t)
    return ids, am, lab, tt


def build_model(base, torch, case_feature=True):
    from transformers import BertForTokenClassification
    old = BertForTokenClassification.from_pretrained(base)
    old_id2label = old.config.id2label
    old_w = old.classifier.weight.data.clone()
    old_b = old.classifier.bias.data.clone()
    old_l2i = {v: int(k) for k, v in old_id2label.items()}
    cfg = old.config
    cfg.id2label = {i: l for i, l in enumerate(LABELS)}
    cfg.label2id = dict(LABEL2ID)
    cfg.num_labels = len(LABELS)
    cfg.scrim_case_feature = bool(case_feature)
    from transformers import BertForTokenClassification as M
    model = M(cfg)
    sd = old.state_dict()
    sd = {k: v for k, v in sd.items() if not k.startswith("classifier.")}
    model.load_state_dict(sd, strict=False)
    g = torch.Generator().manual_seed(0)
    w = torch.randn((len(LABELS), old_w.shape[1]), generator=g) * 0.02
    b = torch.zeros(len(LABELS))
    w[0] = old_w[old_l2i["O"]]
    b[0] = old_b[old_l2i["O"]]
    mean_b = float(old_b[1:].mean())
    for lab in MODEL_LABELS:
        for p in ("B", "I"):
            src = ["%s-%s" % (p, s) for s in INIT_FROM.get(lab, [])]
            if src:
                w[LABEL2ID[p + "-" + lab]] = torch.stack([old_w[old_l2i[s]] for s in src]).mean(0)
                b[LABEL2ID[p + "-" + lab]] = torch.stack([old_b[old_l2i[s]] for s in src]).mean(0)
            else:
                b[LABEL2ID[p + "-" + lab]] = mean_b
    model.classifier.weight.data.copy_(w)
    model.classifier.bias.data.copy_(b)
    if case_feature:
        # token type 1 = "word starts with an uppercase letter"; start it equal to type 0
        te = model.bert.embeddings.token_type_embeddings.weight.data
        te[1] = te[0]
    return model


def evaluate(model, model_dir_for_tok, sets, torch, threshold=0.5):
    """Span-level validation with the reference decoder + scorer."""
    from eval_model import Decoder, run_score
    model.eval()

    def fn(ids, am, tt):
        with torch.no_grad():
            return model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(am),
                         token_type_ids=torch.from_numpy(tt)).logits.numpy()
    dec = Decoder(model_dir_for_tok, fn, threshold, batch_size=32)
    res = {}
    tmp = "/tmp/scrim-model/val"
    os.makedirs(tmp, exist_ok=True)
    for name, docs in sets.items():
        preds = dec.predict([d["text"] for d in docs])
        gp = os.path.join(tmp, name + ".gold.jsonl")
        pp = os.path.join(tmp, name + ".pred.jsonl")
        with open(gp, "w") as f:
            for d in docs:
                f.write(json.dumps({"id": d["id"], "text": d["text"],
                                    "spans": [{"start": s, "end": e, "label": l} for s, e, l in d["spans"]]}) + "\n")
        with open(pp, "w") as f:
            for d, p in zip(docs, preds):
                f.write(json.dumps({"id": d["id"], "spans": p}) + "\n")
        res[name] = run_score(gp, pp)
    model.train()
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="/tmp/scrim-model/rampart-hf")
    ap.add_argument("--gen", default="/tmp/scrim-model/data/gen.jsonl")
    ap.add_argument("--gen-val", default="/tmp/scrim-model/data/gen-val.jsonl")
    ap.add_argument("--out", default="/tmp/scrim-model/scrim-hf")
    ap.add_argument("--epochs", type=float, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-minutes", type=float, default=32,
                    help="time budget: the learning rate reaches 0 and training stops by then")
    ap.add_argument("--weights", default="wnut16=1,conll2003-dev=1,presidio-synth=1",
                    help="repeat each corpus's training examples this many times")
    ap.add_argument("--lower-aug", default="",
                    help="comma-separated corpora whose training examples also get an all-lowercase copy")
    ap.add_argument("--extra", action="append", default=[],
                    help="more training examples, PATH[:WEIGHT]: gen_chats.py's format or a gold file "
                         "(span objects; labels mapped by EXTRA_LABELS, others ignored)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-case-feature", action="store_true",
                    help="feed token_type_ids = 0 instead of the capitalisation flag")
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t_start = time.time()

    tok = Tokenizer.from_file(os.path.join(args.base, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")

    train_ex = []
    weights = {k: int(v) for k, v in (kv.split("=") for kv in args.weights.split(","))}
    for c in corpora.ALLOWED:
        ex = corpora.load(c, "train")
        print("train %-15s %6d examples x%d" % (c, len(ex), weights.get(c, 1)), flush=True)
        train_ex += ex * weights.get(c, 1)
        if c in args.lower_aug.split(","):
            low = [dict(e, id=e["id"] + "/lower", text=e["text"].lower()) for e in ex
                   if len(e["text"].lower()) == len(e["text"]) and e["text"].lower() != e["text"]]
            print("train %-15s %6d lowercased copies" % (c, len(low)), flush=True)
            train_ex += low
    gen = [json.loads(l) for l in open(args.gen, encoding="utf-8")]
    print("train %-15s %6d examples (%s)" % ("generated", len(gen), args.gen), flush=True)
    train_ex += gen
    for spec in args.extra:
        path, _, w = spec.partition(":")
        ex = load_extra(path)
        print("train %-15s %6d examples x%s (%s)" % ("extra", len(ex), w or "1", path), flush=True)
        train_ex += ex * int(w or 1)
    data = encode_examples(tok, train_ex, cls_id, sep_id, case_feature=not args.no_case_feature)
    ntok = sum(len(x) for x, _, _ in data)
    print("train windows %d, tokens %d" % (len(data), ntok), flush=True)

    val_sets = {c: [d for d in corpora.load(c, "heldout")] for c in corpora.ALLOWED}
    val_sets = {k: [{"id": d["id"], "text": d["text"], "spans": d["spans"]} for d in v] for k, v in val_sets.items()}
    if os.path.exists(args.gen_val):
        val_sets["gen-val"] = [json.loads(l) for l in open(args.gen_val, encoding="utf-8")]

    model = build_model(args.base, torch, case_feature=not args.no_case_feature)
    model.train()
    no_decay = ("bias", "LayerNorm.weight")
    params = [
        {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(params, lr=args.lr)
    steps_per_epoch = math.ceil(len(data) / args.batch)
    total = int(steps_per_epoch * args.epochs)
    warm = max(1, int(total * args.warmup))
    # Linear warmup, then linear decay to 0 at the end of the run.  On a shared CPU the run may
    # not get through all steps within --max-minutes, so the decay follows whichever is further
    # along: the step count or the elapsed share of the time budget (the run then stops annealed).
    budget_s = args.max_minutes * 60

    def lr_factor(s):
        if s < warm:
            return (s + 1) / warm
        frac_steps = (s - warm) / max(1, total - warm)
        frac_time = (time.time() - t_start) / budget_s
        return max(0.0, 1.0 - max(frac_steps, frac_time))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    print("steps/epoch %d, total %d, warmup %d" % (steps_per_epoch, total, warm), flush=True)

    step, t0, seen_tok, losses = 0, time.time(), 0, []
    stop = False
    ep = 0
    while step < total and not stop:
        for b in batches(data, args.batch, rng):
            ids, am, lab, tt = collate(data, b, torch)
            out = model(input_ids=ids, attention_mask=am, token_type_ids=tt, labels=lab)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            seen_tok += int(am.sum())
            losses.append(out.loss.item())
            if step % 50 == 0:
                el = time.time() - t0
                print("step %d/%d ep %.2f loss %.4f lr %.2e %.0f tok/s elapsed %.1f min" % (
                    step, total, step / steps_per_epoch, np.mean(losses[-50:]), sched.get_last_lr()[0],
                    seen_tok / el, (time.time() - t_start) / 60), flush=True)
            if (time.time() - t_start) / 60 > args.max_minutes:
                print("time budget reached at step %d" % step, flush=True)
                stop = True
                break
            if step >= total:
                break
        ep += 1
        save(model, args, tok)
        res = evaluate(model, args.out, val_sets, torch)
        for k, v in res.items():
            print("  val ep%d %-15s P %.3f R %.3f charR %.3f  %s" % (
                ep, k, v["P"] or 0, v["R"] or 0, v["charR"] or 0,
                " ".join("%s:%.2f" % (l, r[1] or 0) for l, r in sorted(v["per_label"].items()))), flush=True)
    print("training done: %d steps, %.1f min" % (step, (time.time() - t_start) / 60), flush=True)


def save(model, args, tok):
    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    for f in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "LICENSE"]:
        src = os.path.join(args.base, f)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(args.out, f))


if __name__ == "__main__":
    main()
