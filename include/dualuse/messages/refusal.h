// The message of a refused request in the reader's language.
#ifndef DUALUSE_MESSAGES_REFUSAL_H_
#define DUALUSE_MESSAGES_REFUSAL_H_

#include <string>
#include <string_view>

#include "dualuse/messages/catalogue.h"

namespace dualuse::messages {

// `message` ("<name>: $.path: <expectation>", as the request parsers and
// validators write it) for a reader of `lang`. For en it is returned
// unchanged. Otherwise it becomes the catalogue's "error.request_refused"
// ("Het verzoek is niet aanvaard: {detail}") with the "<name>: " prefix
// dropped, the JSON path kept as it is, and each English expectation phrase
// of the catalogue ("error.phrase.*", in the order of RefusalPhraseIds())
// replaced by its translation. Values quoted from the request are kept.
std::string RefusalText(const Catalogue& catalogue, std::string_view lang, std::string_view message,
                        std::string_view name);

// RefusalText without the wrapper and without the "<name>: " prefix:
// "$.path: <expectation in lang>" (for answers that carry the refusal as
// structured data, such as a rejected line of a batch).
std::string RefusalDetail(const Catalogue& catalogue, std::string_view lang,
                          std::string_view message, std::string_view name);

// The ids of the phrases RefusalText replaces, longest match first.
const std::vector<std::string>& RefusalPhraseIds();

}  // namespace dualuse::messages

#endif  // DUALUSE_MESSAGES_REFUSAL_H_
