// Generates the client's types from an OpenAPI document with openapi-typescript:
//
//     node generate.mjs openapi/openapi.json OUT/schema.d.ts
//
// Two settings differ from the CLI's defaults, both documented options of
// openapi-typescript's Node.js API:
// - `format: binary` (the file parts of multipart uploads, downloads) becomes
//   `Blob` instead of `string`, so a file part is typed as what FormData takes;
// - `defaultNonNullable: false`: a property is required exactly when the
//   document says so. By default a property with a `default` is required,
//   which would make every option of an audit request mandatory.
// Prints nothing on success; a warning of the generator goes to stderr (the
// Rust test fails on it).
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write("usage: node generate.mjs OPENAPI_JSON OUTPUT_D_TS\n");
  process.exit(2);
}

const blob = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const nullType = ts.factory.createLiteralTypeNode(ts.factory.createNull());

const ast = await openapiTS(pathToFileURL(input), {
  defaultNonNullable: false,
  transform(schema) {
    if (schema.format !== "binary") {
      return undefined;
    }
    const nullable = Array.isArray(schema.type) ? schema.type.includes("null") : schema.nullable === true;
    return nullable ? ts.factory.createUnionTypeNode([blob, nullType]) : blob;
  },
});
writeFileSync(output, astToString(ast));
