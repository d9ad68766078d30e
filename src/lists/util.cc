#include "lists/util.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <unordered_map>

#include "dualuse/base/resources.h"

namespace dualuse::lists::internal {

namespace {

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && IsSpace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    } else if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC2 &&
               static_cast<unsigned char>(s[1]) == 0xA0) {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && IsSpace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && static_cast<unsigned char>(s[s.size() - 2]) == 0xC2 &&
               static_cast<unsigned char>(s.back()) == 0xA0) {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

std::string Clean(std::string_view s) {
  s = Trim(s);
  bool simple = true;
  for (size_t i = 0; i < s.size() && simple; ++i) {
    char c = s[i];
    if (c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' ||
        (c == ' ' && i + 1 < s.size() && s[i + 1] == ' '))
      simple = false;
  }
  if (simple) return std::string(s);
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (IsSpace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> SplitClean(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  while (true) {
    size_t p = s.find(sep);
    std::string part = Clean(s.substr(0, p));
    if (!part.empty()) out.push_back(std::move(part));
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + sep.size());
  }
  return out;
}

std::string Cp1252ToUtf8(std::string_view s) {
  // 0x80-0x9F per Windows-1252; undefined positions map to U+FFFD.
  static const uint16_t kHigh[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    uint32_t cp = c < 0x80 ? c : (c < 0xA0 ? kHigh[c - 0x80] : c);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

bool HasNonLatinLetters(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    int n;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      n = 1;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      n = 2;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      n = 3;
    } else {
      ++i;
      continue;
    }
    for (int k = 1; k <= n && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n + 1;
    // Latin blocks end at U+024F; Latin Extended Additional U+1E00-1EFF.
    // General punctuation and symbols (U+2000-U+2BFF) are not letters.
    if (cp <= 0x024F || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2000 && cp <= 0x2BFF) ||
        (cp >= 0x0300 && cp <= 0x036F) || cp == 0xFFFD || (cp >= 0x02B0 && cp <= 0x02FF))
      continue;
    return true;
  }
  return false;
}

namespace {

int MonthFromName(std::string_view m) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  if (m.size() < 3) return 0;
  std::string l = Lower(m);
  for (int i = 0; i < 12; ++i) {
    if (l.compare(0, 3, kMonths[i]) == 0) return i + 1;
  }
  return 0;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  return v;
}

std::string Format(int y, int m, int d) {
  if (y < 1000 || y > 2999) return "";
  char buf[16];
  if (m == 0) {
    std::snprintf(buf, sizeof buf, "%04d", y);
  } else if (m < 1 || m > 12) {
    return "";
  } else if (d == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  } else {
    if (d < 1 || d > 31) return "";
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  }
  return buf;
}

}  // namespace

std::string NormalizeDate(std::string_view text) {
  std::string t = Clean(text);
  std::string_view s = t;
  for (std::string_view prefix : {"circa ", "Circa ", "CIRCA ", "c. ", "ca. ", "approximately "}) {
    if (s.substr(0, prefix.size()) == prefix) s.remove_prefix(prefix.size());
  }
  if (s.size() >= 10 && AllDigits(s.substr(0, 4)) && s[4] == '-' && AllDigits(s.substr(5, 2)) &&
      s[7] == '-' && AllDigits(s.substr(8, 2)) &&
      (s.size() == 10 || s[10] == 'T' || s[10] == ' ' || s[10] == 'Z' || s[10] == '+' ||
       s[10] == '-'))
    return Format(ToInt(s.substr(0, 4)), ToInt(s.substr(5, 2)), ToInt(s.substr(8, 2)));
  if (s.size() == 7 && AllDigits(s.substr(0, 4)) && s[4] == '-' && AllDigits(s.substr(5, 2)))
    return Format(ToInt(s.substr(0, 4)), ToInt(s.substr(5, 2)), 0);
  if (s.size() == 4 && AllDigits(s)) return Format(ToInt(s), 0, 0);
  if (s.size() == 10 && s[2] == '/' && s[5] == '/' && AllDigits(s.substr(0, 2)) &&
      AllDigits(s.substr(3, 2)) && AllDigits(s.substr(6, 4)))
    return Format(ToInt(s.substr(6, 4)), ToInt(s.substr(0, 2)), ToInt(s.substr(3, 2)));
  // "6.10.2001", "24.02.2003": the EU's day.month.year.
  if (size_t d1 = s.find('.'); d1 != std::string_view::npos && d1 >= 1 && d1 <= 2) {
    size_t d2 = s.find('.', d1 + 1);
    if (d2 != std::string_view::npos && d2 - d1 - 1 >= 1 && d2 - d1 - 1 <= 2 &&
        s.size() == d2 + 5 && AllDigits(s.substr(0, d1)) &&
        AllDigits(s.substr(d1 + 1, d2 - d1 - 1)) && AllDigits(s.substr(d2 + 1)))
      return Format(ToInt(s.substr(d2 + 1)), ToInt(s.substr(d1 + 1, d2 - d1 - 1)),
                    ToInt(s.substr(0, d1)));
  }
  // "28 Apr 1955", "28 April 1955", "Apr 1955".
  std::vector<std::string> parts = SplitClean(s, " ");
  if (parts.size() == 3 && AllDigits(parts[0]) && parts[0].size() <= 2 && AllDigits(parts[2]) &&
      parts[2].size() == 4) {
    int m = MonthFromName(parts[1]);
    if (m) return Format(ToInt(parts[2]), m, ToInt(parts[0]));
  }
  if (parts.size() == 2 && AllDigits(parts[1]) && parts[1].size() == 4) {
    int m = MonthFromName(parts[0]);
    if (m) return Format(ToInt(parts[1]), m, 0);
  }
  return "";
}

std::string DateFromName(std::string_view name) {
  size_t slash = name.find_last_of('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  for (size_t i = 0; i + 11 <= name.size(); ++i) {
    if (name[i] != '_' && name[i] != '-') continue;
    std::string_view c = name.substr(i + 1, 10);
    if (AllDigits(c.substr(0, 4)) && c[4] == '-' && AllDigits(c.substr(5, 2)) && c[7] == '-' &&
        AllDigits(c.substr(8, 2))) {
      std::string d = Format(ToInt(c.substr(0, 4)), ToInt(c.substr(5, 2)), ToInt(c.substr(8, 2)));
      if (!d.empty()) return d;
    }
  }
  return "";
}

namespace {

std::string CountryKey(std::string_view s) {
  std::string out;
  for (char c : Clean(s)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80)
      out.push_back(static_cast<char>(std::tolower(u)));
    else if (!out.empty() && out.back() != ' ')
      out.push_back(' ');
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

struct CountryTable {
  std::unordered_map<std::string, std::string> by_name;
  std::unordered_map<std::string, std::string> codes;  // lower code -> code
};

const CountryTable& Countries() {
  static const CountryTable* table = [] {
    auto* t = new CountryTable;
    std::ifstream in(ResourcePath("lists/countries.tsv"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> cols = SplitClean(line, "\t");
      if (cols.empty() || cols[0].size() != 2) continue;
      t->codes[Lower(cols[0])] = cols[0];
      for (size_t i = 1; i < cols.size(); ++i)
        t->by_name.emplace(CountryKey(cols[i]), cols[0]);
    }
    return t;
  }();
  return *table;
}

}  // namespace

std::string CountryCode(std::string_view name_or_code) {
  std::string_view s = Trim(name_or_code);
  if (s.empty()) return "";
  const CountryTable& t = Countries();
  if (s.size() == 2 && std::isalpha(static_cast<unsigned char>(s[0])) &&
      std::isalpha(static_cast<unsigned char>(s[1]))) {
    std::string l = Lower(s);
    if (t.codes.empty()) {
      std::string up(s);
      for (char& c : up)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return up;
    }
    auto it = t.codes.find(l);
    return it == t.codes.end() ? "" : it->second;
  }
  auto it = t.by_name.find(CountryKey(s));
  return it == t.by_name.end() ? "" : it->second;
}

void AddUnique(std::vector<std::string>& v, std::string value) {
  if (value.empty()) return;
  if (std::find(v.begin(), v.end(), value) == v.end()) v.push_back(std::move(value));
}

void AddName(Entity& e, std::string full, NameStrength strength) {
  full = Clean(full);
  if (full.empty()) return;
  for (EntityName& n : e.names) {
    if (n.full == full) {
      // Keep the strongest strength for a repeated spelling.
      if (static_cast<int>(strength) < static_cast<int>(n.strength)) n.strength = strength;
      return;
    }
  }
  EntityName n;
  n.original_script = HasNonLatinLetters(full);
  n.full = std::move(full);
  n.strength = strength;
  if (strength == NameStrength::kPrimary && e.caption.empty()) e.caption = n.full;
  e.names.push_back(std::move(n));
}

void AddIdentifier(Entity& e, std::string type, std::string value, std::string country) {
  value = Clean(value);
  if (value.empty()) return;
  for (const Identifier& i : e.identifiers) {
    if (i.type == type && i.value == value && i.country == country) return;
  }
  e.identifiers.push_back({std::move(type), std::move(value), std::move(country)});
}

void AddCountry(Entity& e, std::string_view name_or_code) {
  AddUnique(e.countries, CountryCode(name_or_code));
}

CsvReader::CsvReader(std::string_view data) : data_(data) {}

bool CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  if (!error_.empty() || pos_ >= data_.size()) return false;
  record_line_ = line_;
  const size_t n = data_.size();
  for (;;) {
    std::string field;
    if (pos_ < n && data_[pos_] == '"') {
      // Quoted field: runs up to the closing quote; "" is a literal quote.
      ++pos_;
      for (;;) {
        size_t q = data_.find('"', pos_);
        if (q == std::string_view::npos) {
          error_ = "unterminated quoted field";
          return false;
        }
        std::string_view chunk = data_.substr(pos_, q - pos_);
        line_ += static_cast<long>(std::count(chunk.begin(), chunk.end(), '\n'));
        field.append(chunk);
        pos_ = q + 1;
        if (pos_ < n && data_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      // Tolerate blanks after a closing quote (OFAC writes `"x" ,`).
      while (pos_ < n && (data_[pos_] == ' ' || data_[pos_] == '\t'))
        ++pos_;
      if (pos_ < n && data_[pos_] != ',' && data_[pos_] != '\n' && data_[pos_] != '\r') {
        error_ = "unexpected character after a closing quote";
        return false;
      }
    } else {
      size_t e = pos_;
      while (e < n && data_[e] != ',' && data_[e] != '\n' && data_[e] != '\r')
        ++e;
      field.assign(data_.substr(pos_, e - pos_));
      pos_ = e;
    }
    fields->push_back(std::move(field));
    if (pos_ >= n) return true;
    char c = data_[pos_++];
    if (c == ',') {
      if (pos_ >= n) {
        fields->emplace_back();
        return true;
      }
      continue;
    }
    // End of record.
    if (c == '\r' && pos_ < n && data_[pos_] == '\n') ++pos_;
    ++line_;
    return true;
  }
}

}  // namespace dualuse::lists::internal
