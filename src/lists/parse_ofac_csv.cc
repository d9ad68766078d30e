// OFAC legacy CSV files (https://ofac.treasury.gov/sdn-list-data-formats-data-schemas):
// sdn.csv  ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
//          Tonnage, GRT, Vess_flag, Vess_owner, Remarks
// alt.csv  ent_num, alt_num, alt_type, alt_name, alt_remarks
// add.csv  ent_num, add_num, address, city/state/postal, country, add_remarks
// No header; "-0-" (often "-0- ") means empty; Latin-1 / Windows-1252 text
// (decoded here unless the file is valid UTF-8); a trailing 0x1A line may end
// the file. Weak AKAs appear only in Remarks, as a.k.a. 'NAME' (OFAC FAQ 91).
#include <string>
#include <unordered_map>

#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists::internal {

namespace {

std::string Field(const std::string& raw) {
  std::string c = Clean(raw);
  return c == "-0-" ? std::string() : c;
}

bool IsNumber(const std::string& s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "LAST, First" (OFAC's order for individuals) -> "First LAST".
std::string NaturalOrder(const std::string& name, std::string* first, std::string* last) {
  size_t comma = name.find(", ");
  if (comma == std::string::npos || name.find(", ", comma + 2) != std::string::npos) return name;
  *last = name.substr(0, comma);
  *first = name.substr(comma + 2);
  return *first + " " + *last;
}

// Text in parentheses at the end: "1084010 (Egypt)" -> value "1084010", country "Egypt".
void SplitCountry(std::string_view s, std::string* value, std::string* country) {
  std::string_view t = Trim(s);
  if (!t.empty() && t.back() == ')') {
    size_t open = t.rfind('(');
    if (open != std::string_view::npos) {
      *country = Clean(t.substr(open + 1, t.size() - open - 2));
      *value = Clean(t.substr(0, open));
      return;
    }
  }
  *value = Clean(t);
  country->clear();
}

void AddDates(Entity& e, std::string_view text) {
  std::string t = Clean(text);
  size_t to = t.find(" to ");
  if (to != std::string::npos) {
    std::string a = NormalizeDate(t.substr(0, to)), b = NormalizeDate(t.substr(to + 4));
    if (a.size() >= 4 && b.size() >= 4) {
      int ya = std::stoi(a.substr(0, 4)), yb = std::stoi(b.substr(0, 4));
      if (ya <= yb && yb - ya <= 50) {
        for (int y = ya; y <= yb; ++y)
          AddUnique(e.birth_dates, std::to_string(y));
      }
    }
    return;
  }
  AddUnique(e.birth_dates, NormalizeDate(t));
}

std::string Unquote(std::string_view s) {
  std::string_view t = Trim(s);
  if (t.size() >= 2 && t.front() == '\'' && t.back() == '\'') t = t.substr(1, t.size() - 2);
  return Clean(t);
}

// Remarks: "DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); a.k.a. 'X'."
void ParseRemarks(Entity& e, const std::string& remarks) {
  std::string r = remarks;
  if (!r.empty() && r.back() == '.') r.pop_back();
  for (std::string part : SplitClean(r, ";")) {
    std::string_view p = part;
    if (p.substr(0, 5) == "alt. ") p.remove_prefix(5);
    auto starts = [&](std::string_view prefix) { return p.substr(0, prefix.size()) == prefix; };
    if (starts("a.k.a. ") || starts("f.k.a. ") || starts("n.k.a. ")) {
      std::string_view rest = p.substr(7);
      // Quoted names are OFAC's weak AKAs.
      bool quoted = !Trim(rest).empty() && Trim(rest).front() == '\'';
      AddName(e, Unquote(rest), quoted ? NameStrength::kWeak : NameStrength::kStrong);
    } else if (starts("DOB ")) {
      AddDates(e, p.substr(4));
    } else if (starts("nationality ")) {
      AddCountry(e, p.substr(12));
    } else if (starts("citizen ")) {
      AddCountry(e, p.substr(8));
    } else if (starts("Vessel Registration Identification ")) {
      std::string_view v = Trim(p.substr(35));
      if (v.substr(0, 4) == "IMO ") v.remove_prefix(4);
      AddIdentifier(e, "imo", std::string(v), "");
    } else if (starts("IMO ")) {
      AddIdentifier(e, "imo", std::string(Trim(p.substr(4))), "");
    } else if (starts("Passport ")) {
      std::string value, country;
      SplitCountry(p.substr(9), &value, &country);
      AddIdentifier(e, "passport", value, CountryCode(country));
    } else if (size_t no = p.find(" No. "); no != std::string_view::npos && no < 60) {
      std::string type = IdentifierType(p.substr(0, no + 4));
      if (type.empty()) continue;
      std::string value, country;
      SplitCountry(p.substr(no + 5), &value, &country);
      AddIdentifier(e, type, value, CountryCode(country));
    } else if (starts("SWIFT/BIC ")) {
      AddIdentifier(e, "swift_bic", std::string(Trim(p.substr(10))), "");
    }
  }
}

Status Bad(const std::string& name, long line, const std::string& what) {
  return Status::DataLoss(name + ": line " + std::to_string(line) + ": " + what);
}

// Reads a CSV file of records with `columns` fields, skipping blank lines and
// the DOS EOF (0x1A) line, calling f(fields, line) for each.
// A record left out: f returns a SkippedRow-style (field, reason) through
// Skip itself; a wrong number of fields is skipped here.
template <typename F>
Status ReadRecords(std::string_view data, const std::string& name, size_t columns, ListVersion* out,
                   F f) {
  std::string decoded;
  if (!IsValidUtf8(data)) {
    decoded = Cp1252ToUtf8(data);
    data = decoded;
  }
  CsvReader reader(data);
  std::vector<std::string> fields;
  while (reader.Next(&fields)) {
    if (fields.size() == 1 && Trim(fields[0]).empty()) continue;
    if (fields.size() == 1 && fields[0] == "\x1A") continue;
    if (fields.size() != columns) {
      Skip(out, name, reader.line(), "",
           "expected " + std::to_string(columns) + " fields, got " + std::to_string(fields.size()));
      continue;
    }
    DU_RETURN_IF_ERROR(f(fields, reader.line()));
  }
  if (!reader.error().empty()) return Bad(name, reader.line(), "expected CSV: " + reader.error());
  return Status::Ok();
}

}  // namespace

Status ParseOfacCsv(std::string_view sdn, std::string_view alt, std::string_view add,
                    const std::string& sdn_name, const std::string& alt_name,
                    const std::string& add_name, ListVersion* out) {
  out->list_id = "ofac_sdn";
  std::unordered_map<std::string, size_t> index;
  DU_RETURN_IF_ERROR(ReadRecords(
      sdn, sdn_name, 12, out, [&](const std::vector<std::string>& f, long line) -> Status {
        std::string id = Field(f[0]);
        Entity e;
        e.list = "ofac_sdn";
        e.schema = SchemaFromType(Field(f[2]));
        std::string name = Field(f[1]);
        if (name.empty()) {
          Skip(out, sdn_name, line, "SDN_Name", "expected a name");
          return Status::Ok();
        }
        if (!IsNumber(id)) {
          // Without its ent_num the record cannot take its aliases and
          // addresses; it is kept under an id derived from its name.
          std::string derived = DerivedId({SchemaName(e.schema), name});
          out->warnings.push_back(sdn_name + ": line " + std::to_string(line) +
                                  ": field ent_num: expected a number, got \"" + id + "\"; id " +
                                  derived + " derived");
          id = derived;
        }
        e.id = id;
        if (e.schema == Schema::kPerson) {
          std::string first, last;
          std::string natural = NaturalOrder(name, &first, &last);
          AddName(e, natural, NameStrength::kPrimary);
          e.names.front().first_name = first;
          e.names.front().last_name = last;
        } else {
          AddName(e, name, NameStrength::kPrimary);
        }
        // Programmes: "SDGT] [IRGC" (brackets between several).
        for (std::string p : SplitClean(Field(f[3]), "] [")) {
          while (!p.empty() && (p.front() == '[' || p.back() == ']')) {
            if (p.front() == '[') p.erase(0, 1);
            if (!p.empty() && p.back() == ']') p.pop_back();
          }
          AddUnique(e.programs, Clean(p));
        }
        std::string call_sign = Field(f[5]);
        if (!call_sign.empty()) AddIdentifier(e, "call_sign", call_sign, "");
        std::string flag = Field(f[9]);
        if (!flag.empty()) AddCountry(e, flag);
        e.remarks = Field(f[11]);
        ParseRemarks(e, e.remarks);
        if (!index.emplace(id, out->entities.size()).second) {
          // OFAC's own files have repeated an ent_num (sdn.csv of 2022-01-31, line
          // 9044): keep the record under "<ent_num>~<n>" rather than drop a listed
          // party; alt.csv/add.csv rows attach to the first record.
          int n = 2;
          while (index.count(id + "~" + std::to_string(n)))
            ++n;
          e.id = id + "~" + std::to_string(n);
          index.emplace(e.id, out->entities.size());
          out->warnings.push_back(sdn_name + ": line " + std::to_string(line) + ": ent_num " + id +
                                  " repeats; this record is kept as " + e.id);
        }
        out->entities.push_back(std::move(e));
        return Status::Ok();
      }));
  auto owner = [&](const std::vector<std::string>& f, long line, const std::string& name,
                   Entity** e) -> Status {
    std::string id = Field(f[0]);
    auto it = index.find(id);
    *e = nullptr;
    if (!IsNumber(id)) {
      Skip(out, name, line, "ent_num", "expected a number, got \"" + id + "\"");
      return Status::Ok();
    }
    if (it == index.end()) {
      // OFAC's files are not always consistent (add.csv of 2022-01-31 points
      // to ent_num 34489, absent from its sdn.csv): the row cannot belong to a
      // listed party, so it is skipped and reported.
      Skip(out, name, line, "ent_num", id + " is not in sdn.csv");
      return Status::Ok();
    }
    *e = &out->entities[it->second];
    return Status::Ok();
  };
  if (!alt.empty()) {
    DU_RETURN_IF_ERROR(ReadRecords(alt, alt_name, 5, out,
                                   [&](const std::vector<std::string>& f, long line) -> Status {
                                     Entity* e;
                                     DU_RETURN_IF_ERROR(owner(f, line, alt_name, &e));
                                     if (!e) return Status::Ok();
                                     std::string name = Field(f[3]);
                                     if (name.empty()) {
                                       Skip(out, alt_name, line, "alt_name", "expected a name");
                                       return Status::Ok();
                                     }
                                     if (e->schema == Schema::kPerson) {
                                       std::string first, last;
                                       name = NaturalOrder(name, &first, &last);
                                     }
                                     // alt.csv holds the strong AKAs (aka, fka, nka); weak ones are
                                     // in Remarks.
                                     AddName(*e, name, NameStrength::kStrong);
                                     return Status::Ok();
                                   }));
  }
  if (!add.empty()) {
    DU_RETURN_IF_ERROR(ReadRecords(add, add_name, 6, out,
                                   [&](const std::vector<std::string>& f, long line) -> Status {
                                     Entity* e;
                                     DU_RETURN_IF_ERROR(owner(f, line, add_name, &e));
                                     if (!e) return Status::Ok();
                                     AddCountry(*e, Field(f[4]));
                                     return Status::Ok();
                                   }));
  }
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
