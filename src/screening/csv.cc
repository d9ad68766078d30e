#include "dualuse/screening/csv.h"

namespace dualuse::screening {

Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false, quoted = false, any = false;
  size_t line = 1, row_line = 1;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    quoted = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = row.size() == 1 && row[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || quoted)
        return Status::InvalidArgument("line " + std::to_string(line) +
                                       ": quote inside an unquoted field");
      in_quotes = quoted = any = true;
      row_line = line;
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      end_row();
      ++line;
    } else if (c == '\n') {
      end_row();
      ++line;
    } else {
      if (quoted)
        return Status::InvalidArgument("line " + std::to_string(line) +
                                       ": text after a closing quote");
      field.push_back(c);
      any = true;
    }
  }
  if (in_quotes)
    return Status::InvalidArgument("line " + std::to_string(row_line) + ": unterminated quote");
  if (any || !field.empty() || !row.empty()) end_row();
  return rows;
}

std::string CsvField(std::string_view v) {
  bool need = v.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!need) return std::string(v);
  std::string s = "\"";
  for (char c : v) {
    if (c == '"') s.push_back('"');
    s.push_back(c);
  }
  s.push_back('"');
  return s;
}

}  // namespace dualuse::screening
