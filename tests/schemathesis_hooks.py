"""Schemathesis hooks for tests/it/schemathesis.rs (loaded through SCHEMATHESIS_HOOKS).

A monitor's decisions and labels are NDJSON bodies (`application/x-ndjson`), a
text media type schemathesis has no serializer for: send the generated text as
it is, as for text/plain.
"""

import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
