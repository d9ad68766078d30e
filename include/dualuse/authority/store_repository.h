// The authority's records in the Store (include/dualuse/store/): each
// authority record is one append-only, hash-chained store record of kind
// authority_* with subject = the object's id and inputs = its JSON. Works on
// both backends (SQLite, PostgreSQL); `dualuse audit verify` covers them.
#ifndef DUALUSE_AUTHORITY_STORE_REPOSITORY_H_
#define DUALUSE_AUTHORITY_STORE_REPOSITORY_H_

#include <vector>

#include "dualuse/authority/repository.h"
#include "dualuse/store/store.h"

namespace dualuse::authority {

class StoreRepository : public Repository {
 public:
  // `store` is not owned and must outlive this object.
  explicit StoreRepository(store::Store* store) : store_(store) {}
  // One Store::AppendBatch: all or none.
  Status AppendAll(const std::vector<Record>& records) override;
  // The authority_* records in store order.
  Result<std::vector<Record>> Records() const override;

 private:
  store::Store* store_;
};

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_STORE_REPOSITORY_H_
