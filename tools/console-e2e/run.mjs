// End-to-end test of the review console in a real browser (headless Debian Chromium, driven by
// playwright-core). Seeds a running `scrim serve` through its API, then uses the console as a
// reviewer, a privacy officer and an admin would. Exits non-zero on the first failed check.
// The privacy officer "pia" (OFFICER_TOKEN) is created from the command line with the same
// password, as the admin's privileged accounts wait for a privacy officer's approval.
//
//   node tools/console-e2e/run.mjs BASE_URL ADMIN_TOKEN OFFICER_TOKEN [SCREENSHOT_DIR]
import { chromium } from "playwright-core";

const [base, adminToken, officerToken, shots] = process.argv.slice(2);
if (!base || !adminToken || !officerToken) { console.error("usage: run.mjs BASE_URL ADMIN_TOKEN OFFICER_TOKEN [SCREENSHOT_DIR]"); process.exit(2); }

function check(cond, what) { if (!cond) { throw new Error("check failed: " + what); } console.log("ok -", what); }

async function api(token, method, path, body) {
  const r = await fetch(base + path, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let data; try { data = JSON.parse(text); } catch { data = text; }
  if (!r.ok && r.status !== 422) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return data;
}

// ---- seed through the API
const password = "correct horse battery staple";
// A privacy officer sets the project up (an admin's would wait for their approval).
const proj = await api(officerToken, "POST", "/api/projects", {
  name: "Support chats", purpose: "human_review",
  spec: { turns: "all", profile: { place: "region", age: "band10", k: 5 }, images: false },
});
const users = {};
for (const [name, role, projects] of [["rita", "reviewer", [proj.id]], ["feeder", "ingest", []]]) {
  users[name] = await api(adminToken, "POST", "/api/users", { name, role, password, projects });
  if (users[name].approval) {
    check(!users[name].token, `${name}: no token before a privacy officer approves`);
    const ok = await api(officerToken, "POST", `/api/approvals/${users[name].approval.id}/approve`);
    users[name].token = ok.token;
  }
}
const people = [["Hailey Mills", "Boise", 31], ["Priya Raman", "Nampa", 34], ["Tomás Ortega", "Meridian", 37], ["Ana Lima", "Boise", 33],
  ["Lena Park", "Boise", 36]];
for (const [i, [name, city, age]] of people.entries()) {
  const r = await api(users.feeder.token, "POST", `/api/projects/${proj.id}/conversations`, {
    id: `c${i}`, subject: `user-${i}`, source: "ai_chat",
    messages: [
      { role: "user", content: `hi! I'm ${name}, reach me at ${name.split(" ")[0].toLowerCase()}.${i}@gmail.com. My order 77${i}1 never came and the courier left a note from Zorblax Depot.` },
      { role: "assistant", content: `Sorry to hear that, ${name.split(" ")[0]}. I can help you track order 77${i}1.` },
    ],
    profile: { first_name: name.split(" ")[0], city, age },
  });
  check(r.task, `ingested conversation ${i}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const shot = async (page, name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true }); };

async function login(name, pw = password) {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 850 } });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => { console.error("page error:", e.message); process.exitCode = 1; });
  await page.goto(base + "/");
  await page.fill("input[name=name]", name);
  await page.fill("input[name=password]", pw);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#whoami:not(:empty)");
  return { ctx, page };
}

try {
  // ---- a wrong password is refused
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(base + "/");
    await page.fill("input[name=name]", "rita");
    await page.fill("input[name=password]", "not the password at all");
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector("#login-error:not(:empty)");
    check(await page.isVisible("#login-view"), "a wrong password keeps the sign-in form");
    await shot(page, "login");
    await ctx.close();
  }

  // ---- reviewer: next task, no raw values, flag a leftover, rate
  {
    const { ctx, page } = await login("rita");
    check((await page.textContent("#whoami")).includes("reviewer"), "reviewer signed in");
    await page.click("#reviewer-projects button");
    await page.waitForSelector("#task:not([hidden]) .msg");
    const body = await page.textContent("#task");
    for (const raw of ["Hailey", "Mills", "gmail.com", "Boise", "Nampa"]) check(!body.includes(raw), `the task view does not show ${raw}`);
    check(body.includes("[PERSON_1]") && body.includes("[EMAIL_1]"), "placeholders are shown");
    check((await page.textContent("#task-profile")).includes("Idaho"), "the place is shown at region level (k = 5)");
    check(body.includes("Zorblax Depot"), "a leftover the detectors missed is visible before flagging");
    await shot(page, "reviewer-task");
    // Select "Zorblax Depot" in the first message and flag it.
    await page.evaluate(() => {
      const span = document.querySelector(".msg[data-index='0'] .content");
      const node = span.firstChild;
      const i = node.textContent.indexOf("Zorblax Depot");
      const r = document.createRange();
      r.setStart(node, i); r.setEnd(node, i + "Zorblax Depot".length);
      const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
    });
    await page.click("#flag");
    await page.waitForFunction(() => document.querySelector("#task-status").textContent.startsWith("Flagged"));
    const after = await page.textContent("#task-messages");
    check(!after.includes("Zorblax Depot") && after.includes("[FLAGGED]"), "flagging re-redacts the view at once");
    await shot(page, "reviewer-flagged");
    await page.check("input[name=score][value='4']");
    await page.click("#submit-rating");
    // Wait for the state the check needs: the next task on screen, not only the saved rating.
    const ratedId = await page.textContent("#task-id");
    await page.waitForFunction((id) => document.querySelector("#task-status").textContent.includes("Here is the next task")
      && document.querySelector("#task-id").textContent !== id, ratedId);
    const next = await page.textContent("#task-messages");
    check(!next.includes("Zorblax Depot"), "the flagged value is hidden in the next task too");
    await page.click("#skip");
    await page.waitForFunction(() => document.querySelector("#task-status").textContent.includes("Skipped"));
    check(true, "a task can be skipped");
    await ctx.close();
  }

  // ---- privacy officer: figures, audit search, chain verification
  {
    const { ctx, page } = await login("pia");
    await page.waitForSelector("#stats-table tbody tr");
    const row = await page.textContent("#stats-table tbody tr");
    check(row.includes("Support chats"), "the project is listed with its figures");
    check(row.includes("50.0%"), "residual leak rate: 1 flagged of 2 reviewed");
    await page.waitForSelector("#audit-table tbody tr");
    const log = await page.textContent("#audit-table");
    check(log.includes("task.flag") && log.includes("task.read"), "the audit log shows the reviewer's reads and flag");
    check(!log.includes("Zorblax") && !log.includes("Hailey"), "the audit log holds no content");
    await page.fill("#audit-form input[name=actor]", "rita");
    await page.selectOption("#audit-form select[name=decision]", "allow");
    await page.click("#audit-form button[type=submit]");
    await page.waitForFunction(() => [...document.querySelectorAll("#audit-table tbody tr")].every((tr) => tr.children[2].textContent === "rita"));
    check(true, "audit search by actor");
    await page.click("#verify");
    await page.waitForFunction(() => document.querySelector("#verify-result").textContent.length > 0);
    check((await page.textContent("#verify-result")).includes("intact"), "the audit chain verifies");
    await page.click("#password-box summary");
    await page.fill("#password-form input[name=current]", "wrong wrong wrong");
    await page.fill("#password-form input[name=new]", "another long password");
    await page.click("#password-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#password-result").textContent.includes("wrong"));
    check(true, "a wrong current password is refused");
    await page.fill("#password-form input[name=current]", password);
    await page.fill("#password-form input[name=new]", password + "!");
    await page.click("#password-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#password-result").textContent.includes("changed"));
    check(true, "a user changes their own password");
    await page.click("#password-box summary");
    await shot(page, "privacy-officer");
    // Privacy officers set projects up too: one that routes health talk to cleared reviewers.
    await page.fill("#project-form input[name=name]", "Wellbeing chats");
    await page.selectOption("#project-form select[name=place]", "country");
    await page.selectOption("#route-categories", ["health", "self_harm"]);
    await page.click("#project-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#project-result").textContent.includes("Created"));
    const projects = await api(adminToken, "GET", "/api/projects");
    const well = projects.find((p) => p.name === "Wellbeing chats");
    check(well && well.spec.sensitive.health === "route" && well.spec.profile.place === "country", "a privacy officer creates a project that routes health topics");
    await ctx.close();
  }

  // ---- admin: create a project and a user through the forms
  {
    const { ctx, page } = await login("root");
    await page.fill("#project-form input[name=name]", "Onboarding");
    await page.selectOption("#project-form select[name=place]", "country");
    await page.click("#project-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#project-result").textContent.includes("Created"));
    check((await page.textContent("#project-result")).includes("approval"), "what the admin's project shows waits for approval");
    // The form's project list is refreshed before the result shows; wait for the option all the same.
    await page.waitForSelector("#user-projects option:text('Onboarding')", { state: "attached" });
    check(true, "admin creates a project");
    await page.fill("#user-form input[name=name]", "ravi");
    await page.selectOption("#user-projects", { label: "Onboarding" });
    await page.selectOption("#user-clearances", ["health"]);
    await page.click("#user-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#user-result").textContent.includes("Proposed"));
    check(!(await page.textContent("#user-result")).includes("scrim_"), "no token for an account nobody approved");
    // Wait for the refreshed table itself rather than trusting the order of the two updates.
    await page.waitForFunction(() => document.querySelector("#users-table").textContent.includes("ravi"));
    const proposed = await page.textContent("#users-table");
    check(proposed.includes("ravi") && proposed.includes("waits for approval"), "admin proposes a reviewer in that project");
    check(proposed.includes("health"), "with a clearance for health topics");
    await page.click("button[data-user=feeder]");
    await page.waitForSelector("button[data-user=feeder]:text('Enable')");
    const r = await fetch(base + "/api/me", { headers: { authorization: `Bearer ${users.feeder.token}` } });
    check(r.status === 401, "a disabled user's token stops working");
    // The token is shown once on screen; keep it out of the saved screenshot.
    await page.evaluate(() => { const r = document.querySelector("#user-result"); r.textContent = r.textContent.replace(/scrim_\S+/, "scrim_… (hidden here)"); });
    await shot(page, "admin");
    await ctx.close();
  }

  // ---- the privacy officer approves the admin's proposals (pia changed her password above)
  {
    // Her own password change ended her API tokens; she signs in again for a fresh one.
    const stale = await fetch(base + "/api/me", { headers: { authorization: `Bearer ${officerToken}` } });
    check(stale.status === 401, "a password change ends the user's API tokens");
    const signedIn = await (await fetch(base + "/api/login", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "pia", password: password + "!" }) })).json();
    const pending = await api(signedIn.token, "GET", "/api/approvals");
    const ravi = pending.find((a) => a.kind === "user.create" && a.change.name === "ravi");
    const denied = await fetch(base + `/api/approvals/${ravi.id}/approve`, { method: "POST", headers: { authorization: `Bearer ${adminToken}` } });
    check(denied.status === 403, "an admin cannot approve their own proposal");
    const { ctx, page } = await login("pia", password + "!");
    await page.waitForSelector("#approvals-table button[data-approve=ravi]");
    check((await page.textContent("#approvals-table")).includes("Onboarding"), "the admin's project view waits for approval too");
    await page.click("#approvals-table button[data-approve=ravi]");
    await page.waitForFunction(() => document.querySelector("#approval-result").textContent.startsWith("Approved"));
    const result = await page.textContent("#approval-result");
    const token = (result.match(/scrim_\S+/) || [""])[0];
    const me = await api(token, "GET", "/api/me");
    check(me.name === "ravi" && me.clearances.includes("health"), "once approved, ravi's token works, with the health clearance");
    check(!(await page.textContent("#approvals-table")).includes("ravi"), "the decided proposal leaves the list");
    await page.click("#approvals-table button[data-approve=Onboarding]");
    await page.waitForFunction(() => document.querySelector("#approval-result").textContent.includes("Onboarding"));
    const onboarding = (await api(adminToken, "GET", "/api/projects")).find((p) => p.name === "Onboarding");
    check(onboarding.spec.profile.place === "country", "once approved, the project shows the place at country level");
    await page.evaluate(() => { const r = document.querySelector("#approval-result"); r.textContent = r.textContent.replace(/scrim_\S+/, "scrim_… (hidden here)"); });
    await shot(page, "privacy-officer-approvals");
    await ctx.close();
  }
} finally {
  await browser.close();
}
console.log("console e2e: all checks passed");
