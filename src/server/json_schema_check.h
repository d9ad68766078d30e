// A small JSON Schema checker for the subset web/openapi.json uses (OpenAPI
// 3.0 schema objects): type, nullable, properties, required,
// additionalProperties (bool or schema), items, enum, minimum, maximum,
// minItems, maxItems, minLength, maxLength, pattern, anyOf, allOf and local $ref
// ("#/components/schemas/X"). Used by the tests to hold the real responses
// to the published contract. Any other keyword is an error, so the document
// cannot silently use something this checker ignores.
#ifndef DUALUSE_SRC_SERVER_JSON_SCHEMA_CHECK_H_
#define DUALUSE_SRC_SERVER_JSON_SCHEMA_CHECK_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dualuse::server::testing {

// Problems of `value` against `schema` ("$.a[0].b: expected integer"), empty
// when it conforms. `root` resolves $ref.
std::vector<std::string> CheckSchema(const nlohmann::json& value, const nlohmann::json& schema,
                                     const nlohmann::json& root);

// The schema of the JSON response `status` of `method` on `path` (an OpenAPI
// path template such as "/records/{id}"), or null when the document has none.
nlohmann::json ResponseSchema(const nlohmann::json& openapi, const std::string& path,
                              const std::string& method, int status);

}  // namespace dualuse::server::testing

#endif  // DUALUSE_SRC_SERVER_JSON_SCHEMA_CHECK_H_
