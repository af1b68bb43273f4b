// Transactions and multi-reads against a real server.
#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

TEST_CASE("a transaction applies every op, or none and says which op failed") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("txn");
  REQUIRE(await(loop, s.create(p, "v0")).ok());

  CreateOptions seq{.mode = CreateMode::persistent_sequential};
  CreateOptions container{.mode = CreateMode::container};
  std::vector<TxnOp> ops = {
      TxnOp::check(p, 0),
      TxnOp::set(p, "v1", 0),
      TxnOp::create(p + "/h-", "v1", seq),
      TxnOp::create(p + "/c", "", container),
      TxnOp::create(p + "/gone", ""),
      TxnOp::remove(p + "/gone"),
  };
  auto done = await(loop, s.multi(ops));
  REQUIRE(done.ok());
  CHECK(done->committed);
  REQUIRE(done->results.size() == ops.size());
  CHECK(done->results[1].stat->version == 1);
  CHECK(done->results[2].path.rfind(p + "/h-", 0) == 0);
  CHECK(done->results[3].path == p + "/c");
  CHECK(done->results[3].stat.has_value());  // containers answer with a Stat
  CHECK(done->first_failure() == nullptr);

  std::vector<TxnOp> failing = {
      TxnOp::create(p + "/never", ""),
      TxnOp::check(p, 0),  // the version is 1 now
      TxnOp::set(p, "v2"),
  };
  auto refused = await(loop, s.multi(failing));
  REQUIRE(refused.ok());
  CHECK(!refused->committed);
  CHECK(refused->results[0].error == Errc::ok);
  CHECK(refused->results[1].error == Errc::bad_version);
  CHECK(refused->results[2].error == Errc::runtime_inconsistency);
  REQUIRE(refused->first_failure() != nullptr);
  CHECK(refused->first_failure()->error == Errc::bad_version);
  CHECK(!await(loop, s.exists(p + "/never")).value().has_value());
  CHECK(await(loop, s.get(p)).value().data == "v1");

  CHECK(await(loop, s.multi(std::vector<TxnOp>{})).value().committed);
}

TEST_CASE("a multi-read answers each op on its own, and bad ops are refused before sending") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string() + ""));
  std::string p = unique_path("mread");
  REQUIRE(await(loop, s.create(p, "data")).ok());
  REQUIRE(await(loop, s.create(p + "/k", "")).ok());
  std::vector<TxnOp> reads = {TxnOp::get(p), TxnOp::get_children(p), TxnOp::get(p + "/missing")};
  auto r = await(loop, s.multi(reads));
  REQUIRE(r.ok());
  CHECK(!r->committed);
  CHECK(r->results[0].data == "data");
  CHECK(r->results[1].children == std::vector<std::string>{"k"});
  CHECK(r->results[2].error == Errc::no_node);

  std::vector<TxnOp> mixed = {TxnOp::get(p), TxnOp::set(p, "x")};
  CHECK(await(loop, s.multi(mixed)).code() == Errc::bad_arguments);
  std::vector<TxnOp> bad = {TxnOp::set(p, "x"), TxnOp::remove("no-slash")};
  auto b = await(loop, s.multi(bad));
  REQUIRE(!b.ok());
  CHECK(b.error().message().find("op 1") != std::string::npos);
}

TEST_CASE("multi paths go through the chroot both ways") {
  Loop loop;
  std::string root = unique_path("mchroot");
  Session plain = connect(loop, options_for(shared_server().connect_string()));
  REQUIRE(await(loop, plain.create(root, "")).ok());
  Session s = connect(loop, options_for(shared_server().connect_string() + root));
  std::vector<TxnOp> ops = {TxnOp::create("/a", "1"), TxnOp::create("/a/b", "2")};
  auto r = await(loop, s.multi(ops));
  REQUIRE(r.ok());
  CHECK(r->committed);
  CHECK(r->results[0].path == "/a");
  CHECK(r->results[1].path == "/a/b");
  CHECK(await(loop, plain.get(root + "/a/b")).value().data == "2");
}
