"""Runs action.yml's steps the way the GitHub runner runs a composite action, against a
built wheel and copies of the example project, and checks what a workflow would see.

What is emulated: inputs and their defaults, the `${{ }}` expressions the action uses, `if:`
conditions with the runner's success rules, each `run:` step as `bash --noprofile --norc
-eo pipefail FILE` in the workspace with its `env:`, and the file commands (GITHUB_PATH,
GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY). As on GitHub, a composite action's steps
get no INPUT_* variables. `uses:` steps are not run: the one the action may use, SARIF
upload, is checked for a SARIF file it would accept.

Usage: python .ci/action.py WHEEL
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


# --- Expressions: the subset of GitHub's expression language that action.yml may use. ---

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<op>==|!=|&&|\|\||!|\(|\)|,)|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))"
)


class ExpressionError(Exception):
    pass


def tokenize(text):
    tokens, at = [], 0
    text = text.strip()
    while at < len(text):
        match = TOKEN.match(text, at)
        if not match or match.end() == at:
            raise ExpressionError(f"cannot read `{text[at:]}` in `{text}`")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        at = match.end()
    return tokens


def to_number(value):
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if value is None or value == "":
        return 0.0
    try:
        return float(value)
    except ValueError:
        return float("nan")


def loosely_equal(a, b):
    """GitHub's `==`: strings compare ignoring case; other mixes compare as numbers."""
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if type(a) is type(b):
        return a == b
    return to_number(a) == to_number(b)


def truthy(value):
    return value not in (None, False, 0, "") and value == value


class Evaluator:
    """A recursive-descent reader of one expression over `contexts` and the job status."""

    def __init__(self, contexts, status):
        self.contexts = contexts
        self.status = status

    def evaluate(self, text):
        self.tokens = tokenize(text)
        self.at = 0
        value = self.or_()
        if self.at != len(self.tokens):
            raise ExpressionError(f"unexpected `{self.tokens[self.at][1]}` in `{text}`")
        return value

    def peek(self):
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, expected=None):
        if self.at >= len(self.tokens):
            raise ExpressionError("the expression ends too soon")
        kind, value = self.tokens[self.at]
        if expected is not None and value != expected:
            raise ExpressionError(f"expected `{expected}`, found `{value}`")
        self.at += 1
        return kind, value

    def or_(self):
        value = self.and_()
        while self.peek() == "||":
            self.take()
            right = self.and_()
            value = value if truthy(value) else right
        return value

    def and_(self):
        value = self.comparison()
        while self.peek() == "&&":
            self.take()
            right = self.comparison()
            value = right if truthy(value) else value
        return value

    def comparison(self):
        value = self.unary()
        while self.peek() in ("==", "!="):
            _, op = self.take()
            right = self.unary()
            equal = loosely_equal(value, right)
            value = equal if op == "==" else not equal
        return value

    def unary(self):
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if value == "(":
            inner = self.or_()
            self.take(")")
            return inner
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "number":
            return float(value)
        if kind != "name":
            raise ExpressionError(f"unexpected `{value}`")
        if value in ("true", "false"):
            return value == "true"
        if value == "null":
            return None
        if self.peek() == "(":
            self.take("(")
            self.take(")")
            return self.status_function(value)
        return self.lookup(value)

    def status_function(self, name):
        functions = {
            "success": self.status == "success",
            "failure": self.status == "failure",
            "always": True,
            "cancelled": False,
        }
        if name not in functions:
            raise ExpressionError(f"the emulator knows no function `{name}`")
        return functions[name]

    def lookup(self, dotted):
        head, *rest = dotted.split(".")
        if head not in self.contexts:
            raise ExpressionError(f"no context `{head}` for a composite action's step")
        value = self.contexts[head]
        for key in rest:
            if not isinstance(value, dict) or key not in value:
                raise ExpressionError(f"`{dotted}` is not defined")
            value = value[key]
        return value


def as_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def substitute(text, contexts, status):
    """A string with each `${{ expr }}` replaced by its value, as the runner does."""
    return re.sub(
        r"\$\{\{(.*?)\}\}",
        lambda m: as_text(Evaluator(contexts, status).evaluate(m.group(1))),
        str(text),
    )


def condition_holds(condition, contexts, status):
    """A step's `if:`: `success()` when absent; a status function is implied when none is named."""
    if condition is None or condition == "":
        condition = "success()"
    text = str(condition).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    if not re.search(r"\b(success|failure|always|cancelled)\(\)", text):
        text = f"success() && ({text})"
    return truthy(Evaluator(contexts, status).evaluate(text))


# --- The runner. ---


@dataclass
class Run:
    status: str = "success"
    stdout: str = ""
    summary: str = ""
    steps: list = field(default_factory=list)  # (name, outcome) per step
    uploads: list = field(default_factory=list)  # SARIF documents the upload step got

    def commands(self, name):
        return [line for line in self.stdout.splitlines() if line.startswith(f"::{name} ")]


def read_env_file(path):
    """GITHUB_ENV and GITHUB_OUTPUT: `NAME=value` lines, or `NAME<<DELIMITER` blocks."""
    values = {}
    lines = Path(path).read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        elif line:
            raise ValueError(f"bad line in {path}: {line!r}")
        i += 1
    return values


def check_sarif(path):
    document = json.loads(Path(path).read_text())
    assert document.get("version") == "2.1.0", f"{path}: not SARIF 2.1.0"
    assert document["runs"][0]["tool"]["driver"]["name"] == "plancheck", path
    return document


def run_action(action_dir, workspace, inputs, base_env, runner_temp):
    action = yaml.safe_load((Path(action_dir) / "action.yml").read_text())
    assert action["runs"]["using"] == "composite", "the emulator runs composite actions"
    declared = action.get("inputs", {})
    unknown = set(inputs) - set(declared)
    assert not unknown, f"inputs the action does not declare: {sorted(unknown)}"
    values = {}
    for name, spec in declared.items():
        value = inputs.get(name, spec.get("default", ""))
        if spec.get("required") and value == "":
            raise AssertionError(f"input `{name}` is required")
        values[name] = as_text(value)

    env = dict(base_env)
    env.update(
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(action_dir),
            "RUNNER_TEMP": str(runner_temp),
            "RUNNER_OS": "Linux",
        }
    )
    contexts = {
        "inputs": values,
        "github": {"workspace": str(workspace), "action_path": str(action_dir)},
        "runner": {"temp": str(runner_temp), "os": "Linux"},
        "env": env,
        "steps": {},
    }
    run = Run()
    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("id") or f"step {number + 1}"
        if not condition_holds(step.get("if"), contexts, run.status):
            run.steps.append((name, "skipped"))
            continue
        print(f"--- {name}", flush=True)
        files = {}
        for variable in ("GITHUB_PATH", "GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
            files[variable] = Path(runner_temp) / f"_{variable.lower()}_{number}"
            files[variable].write_text("")
        step_env = dict(env)
        step_env.update({k: str(v) for k, v in files.items()})
        for key, value in (step.get("env") or {}).items():
            step_env[key] = substitute(value, contexts, run.status)

        if "uses" in step:
            outcome = uses_step(step, contexts, run)
        else:
            assert step.get("shell") == "bash", f"{name}: the emulator runs `shell: bash` steps"
            script = Path(runner_temp) / f"_step_{number}.sh"
            script.write_text(substitute(step["run"], contexts, run.status))
            cwd = Path(workspace) / substitute(step.get("working-directory", "."), contexts, run.status)
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=cwd,
                env=step_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            sys.stdout.write(result.stdout)
            sys.stdout.write(result.stderr)
            sys.stdout.flush()
            run.stdout += result.stdout
            outcome = "success" if result.returncode == 0 else "failure"

        # File commands take effect for the steps after this one.
        added = [line for line in files["GITHUB_PATH"].read_text().splitlines() if line]
        for directory in added:
            env["PATH"] = f"{directory}{os.pathsep}{env['PATH']}"
        env.update(read_env_file(files["GITHUB_ENV"]))
        if "id" in step:
            contexts["steps"][step["id"]] = {
                "outcome": outcome,
                "outputs": read_env_file(files["GITHUB_OUTPUT"]),
            }
        run.summary += files["GITHUB_STEP_SUMMARY"].read_text()
        run.steps.append((name, outcome))
        if outcome == "failure":
            run.status = "failure"
    return run


def uses_step(step, contexts, run):
    """A `uses:` step, not run: the SARIF upload is checked for what it would be given."""
    action = step["uses"].split("@", 1)[0]
    inputs = {k: substitute(v, contexts, run.status) for k, v in (step.get("with") or {}).items()}
    if action == "github/codeql-action/upload-sarif":
        run.uploads.append(check_sarif(inputs["sarif_file"]))
        return "success"
    raise AssertionError(f"the emulator does not know the action `{step['uses']}`")


# --- The checks. ---


def toolchain_free_path():
    kept = [
        d
        for d in os.environ["PATH"].split(os.pathsep)
        if not any((Path(d) / tool).exists() for tool in ("cargo", "rustc", "rustup"))
    ]
    return os.pathsep.join(kept)


def scenario(title, wheel, inputs, edit=None):
    """One run of the action on a fresh copy of the example project, as a workflow would."""
    print(f"\n=== {title} ===", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        workspace, home, runner_temp = scratch / "workspace", scratch / "home", scratch / "temp"
        shutil.copytree(REPO / "fixtures" / "example", workspace)
        home.mkdir()
        runner_temp.mkdir()
        if edit:
            edit(workspace)
        base_env = {
            "PATH": toolchain_free_path(),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            # `version` resolves against the built wheel, as PyPI would serve it.
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(Path(wheel).parent),
        }
        inputs = {k: (v(scratch) if callable(v) else v) for k, v in inputs.items()}
        return run_action(REPO, workspace, inputs, base_env, runner_temp)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


PLAN = "projectManagement/Implementations/active/M02-v1-user-authentication.md"


def add_an_appendix(workspace):
    """PC106, a warning."""
    plan = workspace / PLAN
    plan.write_text(plan.read_text() + "\n## Appendix\n\nNotes.\n")


def break_the_status(workspace):
    """PC205, an error, beside the PC106 warning."""
    add_an_appendix(workspace)
    plan = workspace / PLAN
    text = plan.read_text()
    broken = text.replace("- **Status**: active", "- **Status**: Active", 1)
    expect(broken != text, f"{plan} holds no `- **Status**: active` line")
    plan.write_text(broken)


def main():
    wheel = Path(sys.argv[1]).resolve()
    version = re.search(r'^version = "(.*)"$', (REPO / "Cargo.toml").read_text(), re.M).group(1)
    today = "--today 2025-08-01"

    clean = scenario("the clean example, a version from the index", wheel, {"version": version, "args": today})
    expect(clean.status == "success", f"the clean example failed: {clean.steps}")
    expect(
        [outcome for _, outcome in clean.steps] == ["success", "skipped", "skipped", "success"],
        f"steps: {clean.steps}",
    )
    expect(not clean.commands("error") and not clean.commands("warning"), "annotations on a clean run")
    expect("5 files checked: 0 errors, 0 warnings" in clean.summary, clean.summary)

    # Two paths, split on whitespace: the plan and the completed folder, 3 files of the 5.
    paths = f"{PLAN}\n  projectManagement/Implementations/completed"
    broken = scenario(
        "a broken plan, a wheel path, two paths, SARIF",
        wheel,
        {"wheel": str(wheel), "paths": paths, "args": today, "sarif": "true"},
        edit=break_the_status,
    )
    expect(broken.status == "failure", "a broken plan passed")
    expect(
        broken.steps
        == [
            ("Install plancheck", "success"),
            ("Write SARIF", "success"),
            ("Upload SARIF", "success"),
            ("Check plans", "failure"),
        ],
        f"steps: {broken.steps}",
    )
    errors, warnings = broken.commands("error"), broken.commands("warning")
    expect(
        len(errors) == 1 and f"file={PLAN},line=5," in errors[0] and "title=PC205 invalid-status" in errors[0],
        f"error annotations: {errors}",
    )
    expect(len(warnings) == 1 and "title=PC106 unknown-section" in warnings[0], f"warnings: {warnings}")
    expect("3 files checked: 1 error, 1 warning" in broken.summary, broken.summary)
    expect("| error | PC205 `invalid-status` |" in broken.summary, broken.summary)
    results = [r["ruleId"] for r in broken.uploads[0]["runs"][0]["results"]]
    expect(sorted(results) == ["PC106", "PC205"], f"SARIF results: {results}")

    # A warning alone fails the job only through `args`.
    strict = scenario(
        "a warning, with --deny-warnings in args",
        wheel,
        {"wheel": str(wheel), "args": f"{today} --deny-warnings"},
        edit=add_an_appendix,
    )
    expect(strict.status == "failure", "--deny-warnings did not reach plancheck")
    expect(not strict.commands("error") and len(strict.commands("warning")) == 1, strict.stdout)

    unknown = scenario("a version that does not exist", wheel, {"version": "0.0.0"})
    expect(
        unknown.steps[0] == ("Install plancheck", "failure") and unknown.steps[-1][1] == "skipped",
        f"steps: {unknown.steps}",
    )
    print("\naction ok: a clean run, a broken plan with SARIF, --deny-warnings, a missing version")


if __name__ == "__main__":
    main()
