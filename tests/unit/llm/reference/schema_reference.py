#!/usr/bin/python3
"""Reference verdicts for the JSON Schema cases of tests/unit/llm/assert_test.cpp.

Run with Debian's python3-jsonschema (4.10.3): /usr/bin/python3 tests/unit/llm/reference/schema_reference.py
Each line: valid|invalid, the schema, the instance, as jsonschema.Draft7Validator decides.
"""
import json

from jsonschema import Draft7Validator

CASES = [
    ({"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string", "minLength": 2}}}, {"answer": "ok"}),
    ({"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string", "minLength": 2}}}, {"answer": "o"}),
    ({"type": "object", "required": ["answer"]}, {"other": 1}),
    ({"type": "object", "additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2}),
    ({"type": "object", "additionalProperties": {"type": "integer"}}, {"a": 1, "b": 2.0}),
    ({"type": "object", "additionalProperties": {"type": "integer"}}, {"a": 1, "b": 2.5}),
    ({"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1, "maxItems": 2, "uniqueItems": True}, ["x", "y"]),
    ({"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1, "maxItems": 2, "uniqueItems": True}, ["x", "x"]),
    ({"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1}, []),
    ({"type": "number", "minimum": 0, "exclusiveMaximum": 1}, 1),
    ({"type": "number", "minimum": 0, "exclusiveMaximum": 1}, 0),
    ({"type": "integer", "multipleOf": 5}, 15),
    ({"type": "integer", "multipleOf": 5}, 12),
    ({"type": ["string", "null"]}, None),
    ({"type": ["string", "null"]}, 3),
    ({"const": {"a": [1, 2]}}, {"a": [1.0, 2]}),
    ({"anyOf": [{"type": "string"}, {"type": "number"}]}, True),
    ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 3),
    ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 3.5),
    ({"allOf": [{"minLength": 1}, {"maxLength": 3}]}, "abcd"),
    ({"not": {"type": "string"}}, "s"),
    ({"type": "string", "pattern": "^[A-Z]{2}-[0-9]+$"}, "AB-12"),
    ({"type": "string", "pattern": "^[A-Z]{2}-[0-9]+$"}, "ab-12"),
    ({"type": "string", "maxLength": 3}, "héé"),
    ({"minProperties": 2}, {"a": 1}),
    (False, 1),
    ({"properties": {"n": {"type": "object", "properties": {"m": {"type": "boolean"}}}}}, {"n": {"m": "no"}}),
]

if __name__ == "__main__":
    for schema, instance in CASES:
        verdict = "valid" if Draft7Validator(schema).is_valid(instance) else "invalid"
        print(f"{verdict}\t{json.dumps(schema)}\t{json.dumps(instance)}")
