#include "dualuse/lists/update.h"

#include <curl/curl.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>

#include "dualuse/lists/catalogue.h"
#include "dualuse/lists/list.h"

namespace dualuse::lists {

namespace fs = std::filesystem;

namespace {

struct Transfer {
  std::FILE* out = nullptr;
  const std::string* list_id = nullptr;
  const UpdateOptions* options = nullptr;
  bool write_failed = false;
};

size_t OnData(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  if (std::fwrite(data, 1, bytes, t->out) != bytes) {
    t->write_failed = true;
    return 0;
  }
  return bytes;
}

int OnProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->options->progress) t->options->progress(*t->list_id, now, total > 0 ? total : -1);
  return 0;
}

// Downloads `url` to `path`. kUnavailable for network and HTTP errors.
Status Download(const std::string& url, const std::string& path, const std::string& list_id,
                const UpdateOptions& options) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::Internal(path + ": cannot create");
  CURL* curl = curl_easy_init();
  if (!curl) {
    std::fclose(f);
    return Status::Internal("libcurl: cannot initialise");
  }
  Transfer t{f, &list_id, &options, false};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, options.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "dualuse/0.1 (list update)");
  // gzip only: cheap for the publisher to produce, ~5x smaller for XML/CSV.
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnData);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  bool close_failed = std::fclose(f) != 0;
  if (t.write_failed || close_failed) return Status::Internal(path + ": write failed (disk full?)");
  if (rc != CURLE_OK) {
    return Status::Unavailable(
        url + ": download failed: " + (error[0] ? std::string(error) : curl_easy_strerror(rc)));
  }
  return Status::Ok();
}

}  // namespace

std::vector<UpdateOutcome> UpdateLists(ListRegistry& registry, const UpdateOptions& options) {
  std::vector<UpdateOutcome> outcomes;
  auto cat = Catalogue();
  if (!cat.ok()) {
    outcomes.push_back({"", "", cat.error(), false, {}});
    return outcomes;
  }
  std::vector<std::string> ids = options.only.empty() ? (*cat)->update : options.only;
  std::string dir = registry.lists_dir() + "/.download";
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const std::string& id : ids) {
    UpdateOutcome o;
    o.list_id = id;
    const ListInfo* info = (*cat)->Find(id);
    if (!info || info->url.empty()) {
      o.status = Status::InvalidArgument("list " + id + ": no download URL in lists-sources.json");
      outcomes.push_back(std::move(o));
      continue;
    }
    std::string base = options.source_base;
    while (!base.empty() && base.back() == '/')
      base.pop_back();
    o.url = base.empty() ? info->url : base + "/" + info->file;
    // The temporary name keeps the publisher's file name: it tells OFAC's
    // consolidated list from the SDN list (both are sdnList XML).
    std::random_device rd;
    std::string tmp = dir + "/" + std::to_string(rd()) + "-" + info->file;
    if (ec) {
      o.status = Status::Internal(dir + ": cannot create");
    } else {
      o.status = Download(o.url, tmp, id, options);
    }
    if (o.status.ok()) {
      auto v = LoadList(tmp);
      if (!v.ok()) {
        o.status = Status(v.error().code(), o.url + ": " + v.error().message());
      } else if (v->list_id != id) {
        o.status =
            Status::DataLoss(o.url + ": expected list " + id + ", the file holds " + v->list_id);
      } else {
        auto before = registry.Versions();
        auto rec = registry.Import(*v, o.url);
        if (!rec.ok()) {
          o.status = rec.error();
        } else {
          o.record = *rec;
          o.imported = true;
          if (before.ok()) {
            for (const VersionRecord& r : *before) {
              if (r.list_id == rec->list_id && r.sha256 == rec->sha256) o.imported = false;
            }
          }
        }
      }
    }
    fs::remove(tmp, ec);
    outcomes.push_back(std::move(o));
  }
  return outcomes;
}

}  // namespace dualuse::lists
