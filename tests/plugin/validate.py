#!/usr/bin/env python3
"""Validates JSON files against a definition of docs/ir.schema.json.

    validate.py SCHEMA DEFINITION FILE...

DEFINITION is `Model`, `Request` or `Response` (a key of `$defs`). Exits with
1 and prints every error if a file does not validate. Needs the `jsonschema`
package (gsc-cli/tests/plugins.rs installs it when it is missing).
"""

import json
import sys

import jsonschema


def main():
    schema_path, definition, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    schema = dict(schema, **{"$ref": "#/$defs/" + definition})
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors[:20]:
            failed += 1
            where = "/".join(str(p) for p in error.absolute_path)
            print("%s: at /%s: %s" % (path, where, error.message[:300]))
    print("validated %d files against $defs/%s: %d errors" % (len(files), definition, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
