#include "local_server.hpp"

#include "zkit/testing/cluster.hpp"

namespace zkit::cli {

LocalServer::LocalServer() = default;

LocalServer::~LocalServer() { stop(); }

Result<std::string> LocalServer::start(int size, int port) {
  std::lock_guard lock(mu_);
  testing::ClusterOptions options;
  options.size = size;
  options.client_port = port;
  // So that `zkit create --ttl` works against it.
  options.jvm_options.push_back("-Dzookeeper.extendedTypesEnabled=true");
  auto cluster = testing::Cluster::start(std::move(options));
  if (!cluster) return std::move(cluster).error();
  cluster_ = std::move(*cluster);
  return cluster_->connect_string();
}

void LocalServer::stop() {
  std::lock_guard lock(mu_);
  cluster_.reset();
}

}  // namespace zkit::cli
