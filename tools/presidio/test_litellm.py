"""LiteLLM's Presidio guardrail, unchanged, pointed at Scrim: a chat completion request is
masked end to end, and the (mocked) model's answer goes through its unmasking hook.

Run by tools/presidio/litellm.sh (which installs the pinned litellm into a venv); SCRIM_BIN
names the `scrim` binary. Nothing goes to the network: the model's answer is litellm's own
mock_response, and the guardrail speaks only to the Scrim servers this test starts on
loopback. Each server is started with --listen 127.0.0.1:0 and the test waits for the line in
which it says where it listens (never for a time).
"""

import asyncio
import os
import re
import subprocess
import tempfile
import unittest

import litellm
from litellm.caching.caching import DualCache
from litellm.proxy._types import UserAPIKeyAuth
from litellm.proxy.guardrails.guardrail_hooks.presidio import _OPTIONAL_PresidioPIIMasking

SCRIM = os.environ["SCRIM_BIN"]

MESSAGE = (
    "Hi, I'm Priya Sharma. Write to priya.sharma@example.com or call +1 415 555 0134 "
    "\U0001F642 and my card is 4111 1111 1111 1111."
)
VALUES = ["Priya Sharma", "priya.sharma@example.com", "+1 415 555 0134", "4111 1111 1111 1111"]


def start(args, env=None):
    """Start `scrim ARGS --listen 127.0.0.1:0` and return it with the address it serves."""
    proc = subprocess.Popen(
        [SCRIM, *args, "--listen", "127.0.0.1:0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    for line in proc.stderr:
        m = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
        if m:
            return proc, m.group(1)
    proc.wait()
    raise RuntimeError(f"scrim {args[0]} stopped before serving (exit {proc.returncode})")


def stop(proc):
    proc.terminate()
    proc.communicate()


def chat_request():
    return {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": MESSAGE},
            {"role": "user", "content": [{"type": "text", "text": "Again: priya.sharma@example.com"}]},
        ],
    }


async def mask_and_answer(guardrail, data):
    """The proxy's order: the pre-call hook masks, the model answers, the post-call hook
    unmasks (output_parse_pii)."""
    masked = await guardrail.async_pre_call_hook(
        user_api_key_dict=UserAPIKeyAuth(), cache=DualCache(), data=data, call_type="completion"
    )
    sent = masked["messages"]
    person = next(t for t in guardrail.pii_tokens if t.startswith("<PERSON>"))
    response = await litellm.acompletion(
        model="gpt-4o-mini", messages=sent, mock_response=f"Nice to meet you, {person}!"
    )
    response = await guardrail.async_post_call_success_hook(
        data=masked, user_api_key_dict=UserAPIKeyAuth(), response=response
    )
    return sent, response.choices[0].message.content


class LiteLLMGuardrail(unittest.TestCase):
    def check(self, analyzer, anonymizer):
        os.environ["PRESIDIO_ANALYZER_API_BASE"] = analyzer
        os.environ["PRESIDIO_ANONYMIZER_API_BASE"] = anonymizer
        guardrail = _OPTIONAL_PresidioPIIMasking(output_parse_pii=True)
        sent, answer = asyncio.run(mask_and_answer(guardrail, chat_request()))
        user = sent[1]["content"]
        for value in VALUES:
            self.assertNotIn(value, user)
        for tag in ["<PERSON>", "<EMAIL_ADDRESS>", "<PHONE_NUMBER>", "<CREDIT_CARD>"]:
            self.assertIn(tag, user)
        self.assertIn("\U0001F642", user)
        self.assertEqual(sent[2]["content"][0]["text"], "Again: <EMAIL_ADDRESS>")
        self.assertEqual(sent[0]["content"], "You are a helpful assistant.")
        # The post-call hook swaps the tag back for what LiteLLM recorded: it slices its input
        # at the items' output offsets (a LiteLLM quirk, the same with Presidio's answer), so
        # only the start of the name comes back when the tag is shorter than the name.
        self.assertTrue(answer.startswith("Nice to meet you, Priya"), answer)
        self.assertNotIn("<PERSON>", answer)

    def test_scrim_presidio(self):
        proc, addr = start(["presidio"])
        try:
            self.check(f"http://{addr}", addr)  # LiteLLM adds the scheme itself
        finally:
            stop(proc)

    def test_scrim_presidio_with_a_token_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            token = "a-light-mode-token-for-litellm"
            path = os.path.join(tmp, "token")
            with open(path, "w") as f:
                f.write(token + "\n")
            proc, addr = start(["presidio", "--token-file", path])
            try:
                base = f"http://token:{token}@{addr}"
                self.check(base, base)
            finally:
                stop(proc)

    def test_scrim_serve_with_a_redactor_token(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, SCRIM_MASTER_KEY_FILE=os.path.join(tmp, "master.key"))
            db = os.path.join(tmp, "scrim.db")
            subprocess.run([SCRIM, "keys", "new", env["SCRIM_MASTER_KEY_FILE"]], env=env, check=True,
                           capture_output=True)
            out = subprocess.run([SCRIM, "users", "add", "litellm", "--role", "redactor", "--store", db],
                                 env=env, check=True, capture_output=True, text=True).stdout
            token = out.strip().splitlines()[-1]
            proc, addr = start(["serve", "--store", db], env=env)
            try:
                # LiteLLM sends no header of its own: the address carries the token as HTTP Basic.
                base = f"http://token:{token}@{addr}"
                self.check(base, base)
            finally:
                stop(proc)


if __name__ == "__main__":
    unittest.main(verbosity=2)
