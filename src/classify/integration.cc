#include "dualuse/classify/integration.h"

#include <algorithm>
#include <filesystem>

#include "classify/json_reader.h"
#include "dualuse/base/sha256.h"

namespace dualuse::classify {

namespace {

using nlohmann::json;

bool Within(const std::string& code, const std::string& entry) {
  return code == entry || (code.size() > entry.size() &&
                           code.compare(0, entry.size(), entry) == 0 && code[entry.size()] == '.');
}

Status CheckRequest(const json& request) {
  if (!request.is_object()) return Status::InvalidArgument("request: $: expected a JSON object");
  auto items = request.find("items");
  if (items == request.end() || !items->is_array()) {
    return Status::InvalidArgument("request: $.items: expected an array");
  }
  return Status::Ok();
}

void AddUnique(json& arr, const std::string& v) {
  for (const auto& x : arr) {
    if (x.is_string() && x.get<std::string>() == v) return;
  }
  arr.push_back(v);
}

}  // namespace

Result<json> ApplyClassificationRecord(const json& request_in, const ClassificationRecord& rec,
                                       std::string_view item_id_in) {
  DU_RETURN_IF_ERROR(CheckRequest(request_in));
  json request = request_in;
  json& items = request["items"];
  std::string item_id(item_id_in.empty() ? std::string_view(rec.item_id) : item_id_in);
  json* item = nullptr;
  size_t index = 0;
  if (item_id.empty()) {
    if (items.size() != 1) {
      return Status::InvalidArgument("classification record " + rec.id +
                                     ": names no item and the request has " +
                                     std::to_string(items.size()) + " items");
    }
    item = &items[0];
  } else {
    for (size_t i = 0; i < items.size(); ++i) {
      auto id = items[i].find("id");
      if (id != items[i].end() && id->is_string() && id->get<std::string>() == item_id) {
        item = &items[i];
        index = i;
      }
    }
    if (!item) {
      return Status::InvalidArgument("classification record " + rec.id + ": item \"" + item_id +
                                     "\" is not in the request");
    }
  }
  if (!item->is_object()) {
    return Status::InvalidArgument("request: $.items[" + std::to_string(index) +
                                   "]: expected an object");
  }
  std::string place = "request: $.items[" + std::to_string(index) + "]";
  if (rec.outcome == "refer") {
    std::string to;
    for (size_t i = 0; i < rec.refer_to.size(); ++i)
      to += (i ? ", " : "") + rec.refer_to[i];
    return Status::FailedPrecondition("classification record " + rec.id +
                                      " does not classify the item (outcome \"refer\": see " + to +
                                      ")");
  }
  auto ce = item->find("control_entries");
  if (ce != item->end() && !ce->is_array()) {
    return Status::InvalidArgument(place + ".control_entries: expected an array");
  }
  if (rec.outcome == "listed") {
    json entries = ce != item->end() ? *ce : json::array();
    for (const auto& e : rec.entries)
      AddUnique(entries, e);
    (*item)["control_entries"] = entries;
  } else if (rec.outcome == "not_listed") {
    json kept = json::array();
    if (ce != item->end()) {
      for (const auto& e : *ce) {
        bool examined = false;
        if (e.is_string()) {
          for (const auto& c : rec.tree_covers)
            examined |= Within(e.get<std::string>(), c);
        }
        if (!examined) kept.push_back(e);
      }
    }
    (*item)["control_entries"] = kept;
  } else if (rec.cyber_surveillance.has_value()) {
    (*item)["cyber_surveillance"] = *rec.cyber_surveillance;
  }
  json cite = {{"id", rec.id},
               {"tree", rec.tree},
               {"tree_version", rec.tree_version},
               {"outcome", rec.outcome},
               {"entries", rec.entries},
               {"who", rec.who},
               {"when", rec.when},
               {"annex_version", rec.annex_version},
               {"record_sha256", Sha256Hex(RecordToJson(rec))}};
  cite["cyber_surveillance"] =
      rec.cyber_surveillance ? json(*rec.cyber_surveillance) : json(nullptr);
  json& list = (*item)["classification_records"];
  if (!list.is_array()) list = json::array();
  bool present = false;
  for (const auto& x : list)
    present |= x.is_object() && x.value("id", "") == rec.id;
  if (!present) list.push_back(cite);
  return request;
}

Result<json> ApplyDueDiligence(const json& request_in, const DueDiligenceRecord& dd) {
  DU_RETURN_IF_ERROR(CheckRequest(request_in));
  json request = request_in;
  auto ref = request.find("reference");
  if (ref != request.end() && ref->is_string() && !dd.reference.empty() &&
      ref->get<std::string>() != dd.reference) {
    return Status::InvalidArgument("due-diligence record: reference \"" + dd.reference +
                                   "\" is not the request's reference \"" +
                                   ref->get<std::string>() + "\"");
  }
  json& knowledge = request["knowledge"];
  if (knowledge.is_null()) knowledge = json::object();
  if (!knowledge.is_object()) {
    return Status::InvalidArgument("request: $.knowledge: expected an object");
  }
  for (const char* key : {"informed", "aware", "suspects"}) {
    if (!knowledge.contains(key)) knowledge[key] = json::array();
    if (!knowledge[key].is_array()) {
      return Status::InvalidArgument(std::string("request: $.knowledge.") + key +
                                     ": expected an array");
    }
  }
  Knowledge k = KnowledgeFromDueDiligence(dd);
  for (const auto& v : k.aware)
    AddUnique(knowledge["aware"], v);
  for (const auto& v : k.suspects)
    AddUnique(knowledge["suspects"], v);
  std::string text = DueDiligenceToJson(dd);
  request["due_diligence"] = {{"reference", dd.reference},     {"conclusion", dd.conclusion},
                              {"concerns", dd.concerns},       {"date", dd.date},
                              {"prepared_by", dd.prepared_by}, {"record_sha256", Sha256Hex(text)},
                              {"record", json::parse(text)}};
  return request;
}

Result<ClassificationRecord> LoadClassificationRecord(const std::string& ref,
                                                      const std::string& records_dir) {
  std::string path = ref;
  if (ref.rfind("CR-", 0) == 0 && ref.find('/') == std::string::npos) {
    if (ref.size() != 19 || !std::all_of(ref.begin() + 3, ref.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        })) {
      return Status::InvalidArgument("\"" + ref +
                                     "\" is not a classification record id (expected CR- and 16 "
                                     "hex digits)");
    }
    path = records_dir + "/" + ref + ".json";
  }
  DU_ASSIGN_OR_RETURN(std::string text, ReadFileText(path, StatusCode::kNotFound));
  DU_ASSIGN_OR_RETURN(ClassificationRecord rec, RecordFromJson(text, path));
  if (ref.rfind("CR-", 0) == 0 && rec.id != ref) {
    return Status::DataLoss(path + ": $.id: \"" + rec.id + "\" but the file is named for " + ref);
  }
  return rec;
}

namespace {

constexpr const char* kRecordExpectation =
    "expected a stored record id CR- and 16 hex digits, a path to a dualuse.classification/1 "
    "file, an embedded record, or an array of these";
constexpr const char* kRecordExpectationNoPaths =
    "expected a stored record id CR- and 16 hex digits, an embedded record, or an array of these";

// Parsers below report "<name>: $...: ..."; parsing under this marker name and
// replacing "<marker>: $" by "<file>: <place>" gives one path into the request.
constexpr const char* kMarker = "\x01";

Status Rebase(const Status& s, const std::string& prefix) {
  std::string m = s.message();
  std::string marker = std::string(kMarker) + ": $";
  if (m.rfind(marker, 0) == 0) return Status::InvalidArgument(prefix + m.substr(marker.size()));
  return Status::InvalidArgument(prefix + ": " + m);
}

bool IsRecordId(const std::string& ref) {
  return ref.rfind("CR-", 0) == 0 && ref.find('/') == std::string::npos;
}

std::string PathFrom(const std::string& base_dir, const std::string& path) {
  if (base_dir.empty() || path.empty() || path[0] == '/') return path;
  return (std::filesystem::path(base_dir) / path).string();
}

Result<ClassificationRecord> LoadOne(const json& ref, const ResolveOptions& o,
                                     const std::string& place) {
  const char* expectation = o.allow_paths ? kRecordExpectation : kRecordExpectationNoPaths;
  if (ref.is_object()) {
    auto rec = RecordFromJson(ref.dump(), kMarker);
    if (!rec.ok()) return Rebase(rec.error(), place);
    return rec;
  }
  if (!ref.is_string() || ref.get_ref<const std::string&>().empty()) {
    return Status::InvalidArgument(place + ": " + expectation);
  }
  const std::string& s = ref.get_ref<const std::string&>();
  if (IsRecordId(s)) {
    if (o.find_record) {
      auto text = o.find_record(s);
      if (!text.ok()) return text.error();  // the store failed: not the request's fault
      if (text->has_value()) {
        auto rec = RecordFromJson(**text, s);
        if (!rec.ok()) return Status::InvalidArgument(place + ": " + rec.error().message());
        return rec;
      }
    }
    if (o.records_dir.empty()) {
      return Status::InvalidArgument(place + ": \"" + s +
                                     "\" cannot be looked up: no classification-record store "
                                     "is configured (" +
                                     expectation + ")");
    }
    auto rec = LoadClassificationRecord(s, o.records_dir);
    if (rec.ok()) return rec;
    if (rec.error().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument(place + ": no stored classification record \"" + s + "\" in " +
                                     o.records_dir + " (" + expectation + ")");
    }
    return Status::InvalidArgument(place + ": " + rec.error().message());
  }
  if (!o.allow_paths) {
    return Status::InvalidArgument(place + ": \"" + s + "\" is not a record id (" + expectation +
                                   "; file paths are not accepted here)");
  }
  std::string path = PathFrom(o.base_dir, s);
  auto rec = LoadClassificationRecord(path, o.records_dir);
  if (rec.ok()) return rec;
  if (rec.error().code() == StatusCode::kNotFound) {
    return Status::InvalidArgument(place + ": " + path + " cannot be read (" + expectation + ")");
  }
  return Status::InvalidArgument(place + ": " + rec.error().message());
}

// Applies `rec` to items[index] alone, whatever the item's id (or none).
Status ApplyToItem(json& item, const ClassificationRecord& rec, const std::string& place) {
  json one = {{"items", json::array({item})}};
  auto id = item.find("id");
  bool had_id = id != item.end();
  std::string key;
  if (had_id && id->is_string()) {
    key = id->get<std::string>();
  } else if (had_id && id->is_number_integer()) {
    key = std::to_string(id->get<long long>());
  } else {
    key = "\x01item";
  }
  one["items"][0]["id"] = key;
  auto applied = ApplyClassificationRecord(one, rec, key);
  if (!applied.ok()) {
    std::string m = applied.error().message();
    std::string pre = "request: $.items[0]";
    if (m.rfind(pre, 0) == 0) m = "$" + m.substr(pre.size());  // its own place inside the item
    return Status::InvalidArgument(place + ": " + m);
  }
  json out = std::move((*applied)["items"][0]);
  if (had_id) {
    out["id"] = *id;
  } else {
    out.erase("id");
  }
  item = std::move(out);
  return Status::Ok();
}

Result<DueDiligenceRecord> LoadDueDiligence(const json& ref, const ResolveOptions& o,
                                            const std::string& place) {
  const char* expectation = o.allow_paths
                                ? "expected a path to a dualuse.due-diligence/1 file or an "
                                  "embedded due-diligence record"
                                : "expected an embedded due-diligence record";
  if (ref.is_object()) {
    auto rec = ParseDueDiligence(ref.dump(), kMarker);
    if (!rec.ok()) return Rebase(rec.error(), place);
    return rec;
  }
  if (!ref.is_string() || ref.get_ref<const std::string&>().empty()) {
    return Status::InvalidArgument(place + ": " + expectation);
  }
  if (!o.allow_paths) {
    return Status::InvalidArgument(place + ": " + expectation +
                                   " (file paths are not accepted here)");
  }
  std::string path = PathFrom(o.base_dir, ref.get<std::string>());
  auto text = ReadFileText(path, StatusCode::kInvalidArgument);
  if (!text.ok()) {
    return Status::InvalidArgument(place + ": " + path + " cannot be read (" + expectation + ")");
  }
  auto rec = ParseDueDiligence(*text, path);
  if (!rec.ok()) return Status::InvalidArgument(place + ": " + rec.error().message());
  return rec;
}

}  // namespace

Result<json> ResolveRecordReferences(const json& request_in, const ResolveOptions& o) {
  if (!request_in.is_object()) return request_in;
  auto items_it = request_in.find("items");
  if (items_it == request_in.end() || !items_it->is_array()) return request_in;
  json request = request_in;
  json& items = request["items"];
  for (size_t i = 0; i < items.size(); ++i) {
    json& item = items[i];
    if (!item.is_object()) continue;  // the request parser reports it
    auto ref = item.find("classification_record");
    if (ref == item.end() || ref->is_null()) continue;
    std::string place = o.name + ": $.items[" + std::to_string(i) + "].classification_record";
    // `ref` points into `item`, which ApplyToItem replaces: copy what is needed first.
    const bool several = ref->is_array();
    json refs = several ? *ref : json::array({*ref});
    if (refs.empty()) {
      return Status::InvalidArgument(
          place + ": " + (o.allow_paths ? kRecordExpectation : kRecordExpectationNoPaths));
    }
    for (size_t k = 0; k < refs.size(); ++k) {
      std::string at = several ? place + "[" + std::to_string(k) + "]" : place;
      DU_ASSIGN_OR_RETURN(ClassificationRecord rec, LoadOne(refs[k], o, at));
      DU_RETURN_IF_ERROR(ApplyToItem(item, rec, at));
    }
  }
  auto dd = request.find("due_diligence");
  if (dd != request.end() && !dd->is_null()) {
    std::string place = o.name + ": $.due_diligence";
    json given = *dd;
    // An already resolved citation: resolve again from its record.
    bool resolved = given.is_object() && given.contains("record_sha256") &&
                    given.contains("record") && given["record"].is_object();
    DU_ASSIGN_OR_RETURN(DueDiligenceRecord rec,
                        LoadDueDiligence(resolved ? given["record"] : given, o,
                                         resolved ? place + ".record" : place));
    request.erase("due_diligence");
    auto applied = ApplyDueDiligence(request, rec);
    if (!applied.ok()) return Status::InvalidArgument(place + ": " + applied.error().message());
    request = std::move(applied).value();
    if (resolved) {
      const json& want = given["record_sha256"];
      const std::string& got =
          request["due_diligence"]["record_sha256"].get_ref<const std::string&>();
      if (!want.is_string() || want.get<std::string>() != got) {
        return Status::InvalidArgument(place +
                                       ".record_sha256: does not match the record "
                                       "(expected " +
                                       got + ")");
      }
    }
  }
  return request;
}

Result<json> ResolveRecordReferences(const json& request, const std::string& records_dir) {
  ResolveOptions o;
  o.records_dir = records_dir;
  return ResolveRecordReferences(request, o);
}

Result<std::string> NotificationFor(const json& request, const NotificationContext& c) {
  if (c.verdict != "notify_authority" || !request.is_object()) return std::string();
  auto dd = request.find("due_diligence");
  if (dd == request.end() || !dd->is_object()) return std::string();
  auto rec_it = dd->find("record");
  if (rec_it == dd->end() || !rec_it->is_object()) return std::string();
  DU_ASSIGN_OR_RETURN(DueDiligenceRecord rec, ParseDueDiligence(rec_it->dump(), "due_diligence"));
  if (rec.conclusion == "not_aware") return std::string();
  NotificationOptions o;
  o.authority = c.authority;
  if (!c.basis.empty()) o.basis = c.basis;
  auto exporter = request.find("exporter");
  if (exporter != request.end() && exporter->is_object()) {
    auto name = exporter->find("name");
    if (name != exporter->end() && name->is_string()) o.exporter = name->get<std::string>();
  }
  return NotificationJson(rec, o);
}

}  // namespace dualuse::classify
