// Null node data against a real server: create and set with zkit::null_data read back as
// null; empty bytes stay empty and not null, in every face that reads data.
#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

TEST_CASE("a node created or set with null data reads back null; empty data does not") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("null");

  auto created = await(loop, s.create(p, null_data));
  REQUIRE(created.ok());
  CHECK(created->stat.data_length == 0);
  auto got = await(loop, s.get(p));
  REQUIRE(got.ok());
  CHECK(got->null);
  CHECK(got->data.empty());

  REQUIRE(await(loop, s.set(p, "v")).ok());
  got = await(loop, s.get(p));
  REQUIRE(got.ok());
  CHECK_FALSE(got->null);
  CHECK(got->data == "v");

  REQUIRE(await(loop, s.set(p, null_data, 1)).ok());
  got = await(loop, s.get(p));
  REQUIRE(got.ok());
  CHECK(got->null);
  CHECK(await(loop, s.set(p, null_data, 1)).code() == Errc::bad_version);  // the version still counts

  REQUIRE(await(loop, s.set(p, "")).ok());
  got = await(loop, s.get(p));
  REQUIRE(got.ok());
  CHECK_FALSE(got->null);
  CHECK(got->data.empty());

  // `{}` is empty bytes, not null data.
  REQUIRE(await(loop, s.create(p + "/braces", {})).ok());
  REQUIRE(await(loop, s.create(p + "/empty", "", CreateOptions{})).ok());
  CreateOptions eph{.mode = CreateMode::ephemeral};
  REQUIRE(await(loop, s.create(p + "/null-eph", null_data, eph)).ok());
  for (const char* child : {"/braces", "/empty"}) {
    auto r = await(loop, s.get(p + child));
    REQUIRE(r.ok());
    CHECK_MESSAGE(!r->null, child);
  }
  auto eph_got = await(loop, s.get(p + "/null-eph"));
  REQUIRE(eph_got.ok());
  CHECK(eph_got->null);

  // A multi-read reports null per get.
  std::vector<TxnOp> reads{TxnOp::get(p + "/null-eph"), TxnOp::get(p + "/empty")};
  auto multi = await(loop, s.multi(reads));
  REQUIRE(multi.ok());
  REQUIRE(multi->results.size() == 2);
  CHECK(multi->results[0].null_data);
  CHECK_FALSE(multi->results[1].null_data);
}

TEST_CASE("a transaction creates and sets null data") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("null-txn");
  REQUIRE(await(loop, s.create(p, "x")).ok());

  std::vector<TxnOp> ops{TxnOp::create(p + "/a", null_data), TxnOp::set(p, null_data, 0),
                         TxnOp::create(p + "/b", "")};
  auto committed = await(loop, s.multi(ops));
  REQUIRE(committed.ok());
  REQUIRE(committed->committed);

  std::vector<TxnOp> reads{TxnOp::get(p + "/a"), TxnOp::get(p), TxnOp::get(p + "/b")};
  auto back = await(loop, s.multi(reads));
  REQUIRE(back.ok());
  REQUIRE(back->results.size() == 3);
  CHECK(back->results[0].null_data);
  CHECK(back->results[1].null_data);
  CHECK_FALSE(back->results[2].null_data);
  CHECK(back->results[1].stat->version == 1);
}

TEST_CASE("the callback and blocking forms send null data too") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("null-forms");

  std::optional<Result<Created>> created;
  s.create(p, null_data, CreateOptions{}, [&](Result<Created> r) { created = std::move(r); });
  REQUIRE(loop.run_until([&] { return created.has_value(); }));
  REQUIRE(created->ok());
  auto got = await(loop, s.get(p));
  REQUIRE(got.ok());
  CHECK(got->null);

  REQUIRE(await(loop, s.set(p, "x")).ok());
  std::optional<Result<Stat>> set;
  s.set(p, null_data, -1, [&](Result<Stat> r) { set = std::move(r); });
  REQUIRE(loop.run_until([&] { return set.has_value(); }));
  REQUIRE(set->ok());
  got = await(loop, s.get(p));
  REQUIRE(got.ok());
  CHECK(got->null);

  auto c = Client::open(options_for(shared_server().connect_string()));
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message()));
  REQUIRE(c->create(p + "/blocking", null_data).ok());
  CHECK(c->get(p + "/blocking")->null);
  REQUIRE(c->set(p + "/blocking", "y").ok());
  CHECK_FALSE(c->get(p + "/blocking")->null);
  REQUIRE(c->set(p + "/blocking", null_data).ok());
  CHECK(c->get(p + "/blocking")->null);
}
