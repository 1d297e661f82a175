"""Schemathesis hooks for CI (test/hostile/schemathesis.sh loads this file).

Baton refuses a number past +/-(2^53 - 1) anywhere in a run payload or an output (400 naming where:
a double would not carry it exactly, so a 64-bit id would reach a worker changed). JSON Schema can
say that only recursively, and schemathesis cannot generate from a recursive schema (its recursion
limit), so those bodies are documented as any JSON and the generated ones holding such a number are
dropped here. test/e2e/hostile/hostile-input.e2e-spec.ts sends them and expects the 400.
"""
import schemathesis

MAX_SAFE = 2**53 - 1
FREE_FORM = {"POST /api/orchestration/execute/{orchName}", "POST /api/orchestration/runs/{flowId}/skip"}


def exact_numbers(value):
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, bool):
            continue
        if isinstance(node, (int, float)) and abs(node) > MAX_SAFE:
            return False
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


@schemathesis.hook
def filter_body(context, body):
    return context.operation is None or context.operation.label not in FREE_FORM or exact_numbers(body)
