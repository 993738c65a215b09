"""Validates a JSON document against a JSON schema with the `jsonschema` Python package.

Usage: python3 jsonschema_check.py SCHEMA DOCUMENT

Used by the tests as a validator independent of ours (Ajv). Every other *.json file beside SCHEMA
is made available to `$ref`, under its own `$id` and under its file name resolved against SCHEMA's
`$id` (CycloneDX's schemas refer to `spdx.SNAPSHOT.schema.json` that way). Works with the
jsonschema of Debian bookworm (4.10, RefResolver) and with newer ones (the `referencing` package).
Exit 0 when valid; 1 with one line per error (at most 20) when not.
"""
import json
import os
import sys
import warnings
from urllib.parse import urljoin

import jsonschema


def main(schema_path, document_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(document_path, encoding="utf-8") as f:
        document = json.load(f)
    base = schema.get("$id", "")
    store = {}
    directory = os.path.dirname(os.path.abspath(schema_path))
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            other = json.load(f)
        if other.get("$id"):
            store[other["$id"]] = other
        store[urljoin(base, name)] = other
    cls = jsonschema.validators.validator_for(schema)
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import specification_with

        default = specification_with(cls.META_SCHEMA.get("$schema", ""))
        registry = Registry().with_resources(
            (uri, Resource.from_contents(contents, default_specification=default)) for uri, contents in store.items()
        )
        validator = cls(schema, registry=registry)
    except ImportError:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            resolver = jsonschema.RefResolver(base_uri=base, referrer=schema, store=store)
        validator = cls(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors[:20]:
        pointer = "/" + "/".join(str(part) for part in error.absolute_path)
        print(f"{pointer}: {error.message[:300]}")
    if errors:
        print(f"{len(errors)} error(s)")
        return 1
    print(f"valid against {os.path.basename(schema_path)} (jsonschema {jsonschema_version()}, {cls.__name__})")
    return 0


def jsonschema_version():
    try:
        from importlib.metadata import version

        return version("jsonschema")
    except Exception:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
