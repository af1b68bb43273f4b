#include "zkit/testing/tls_cluster.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "process.hpp"
#include "socket.hpp"

namespace zkit::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kOpensslHint = "apt-get install openssl";
constexpr const char* kEc = "ec_paramgen_curve:prime256v1";

struct Openssl {
  std::string program;
  std::string dir;

  Result<void> run(std::vector<std::string> args) const {
    args.insert(args.begin(), "openssl");
    std::string log = dir + "/openssl.log";
    auto pid = detail::spawn({.program = program, .argv = args, .directory = dir, .log_path = log});
    if (!pid) return std::move(pid).error();
    int status = 0;
    if (!detail::reap(*pid, 60s, &status)) {
      detail::end_process(*pid, SIGKILL, 1s);
      return Error(Errc::operation_timeout, "openssl " + args[1] + " did not finish within 60 s");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return Error(Errc::bad_arguments, "openssl " + args[1] + " " + detail::describe_status(status) + ":\n" +
                                            detail::tail_of_file(log, 15));
    return {};
  }

  // A new EC key and a certificate request for `subject`.
  Result<void> request(const std::string& name, const std::string& subject) const {
    return run({"req", "-newkey", "ec", "-pkeyopt", kEc, "-nodes", "-subj", subject, "-keyout", name + ".key", "-out",
                name + ".csr"});
  }

  // Signs `name`.csr with `ca` and the extensions in `ext`, valid from `start` to `end`
  // (openssl ca's YYYYMMDDHHMMSSZ) or for ten years from now when both are empty.
  Result<void> sign(const std::string& name, const std::string& ca, const std::string& ext, const std::string& start,
                    const std::string& end) const {
    write(name + ".ext", ext);
    if (start.empty())
      return run({"x509", "-req", "-days", "3650", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                  "-CAcreateserial", "-extfile", name + ".ext", "-out", name + ".crt"});
    // Dates in the past or the future need `openssl ca`, with its small database.
    fs::create_directories(dir + "/newcerts");
    write("index.txt", "");
    write("serial", "1000\n");
    write("ca.cnf", "[ca]\ndefault_ca = kit\n[kit]\ndatabase = " + dir + "/index.txt\nnew_certs_dir = " + dir +
                        "/newcerts\nserial = " + dir + "/serial\ndefault_md = sha256\npolicy = any\n"
                        "unique_subject = no\n[any]\ncommonName = supplied\n");
    return run({"ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", ca + ".pem", "-keyfile", ca + ".key", "-in",
                name + ".csr", "-out", name + ".crt", "-startdate", start, "-enddate", end, "-extfile", name + ".ext"});
  }

  void write(const std::string& name, const std::string& text) const { std::ofstream(dir + "/" + name) << text; }
  std::string path(const std::string& name) const { return dir + "/" + name; }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

constexpr const char* kServerExt =
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
    "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n";
constexpr const char* kClientExt =
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";

}  // namespace

Result<TlsFiles> make_tls_files(const std::string& dir, ServerCertificate server) {
  Openssl o{detail::find_program("openssl"), dir};
  if (o.program.empty()) return Error(Errc::bad_arguments, std::string("the openssl tool is missing: ") + kOpensslHint);
  for (const char* ca : {"ca", "other-ca"}) {
    auto r = o.run({"req", "-x509", "-newkey", "ec", "-pkeyopt", kEc, "-nodes", "-days", "3650", "-subj",
                    std::string("/CN=zkit-test-") + ca, "-keyout", std::string(ca) + ".key", "-out",
                    std::string(ca) + ".pem"});
    if (!r) return std::move(r).error();
  }
  std::string start, end;
  if (server == ServerCertificate::expired) start = "20010101000000Z", end = "20011231000000Z";
  if (server == ServerCertificate::not_yet_valid) start = "20900101000000Z", end = "20991231000000Z";
  Result<void> r = o.request("server", "/CN=localhost");
  if (r) r = o.sign("server", "ca", kServerExt, start, end);
  if (r) r = o.request("client", "/CN=test-client/O=zk-tests");
  if (r) r = o.sign("client", "ca", kClientExt, "", "");
  if (r) r = o.request("stranger", "/CN=stranger");
  if (r) r = o.sign("stranger", "other-ca", kClientExt, "", "");
  TlsFiles f;
  f.client_key_passphrase = "kit-passphrase";
  if (r)
    r = o.run({"pkcs8", "-topk8", "-in", "client.key", "-out", "client-encrypted.key", "-v2", "aes-256-cbc", "-passout",
               "pass:" + f.client_key_passphrase});
  if (!r) return std::move(r).error();
  o.write("server.pem", read_all(o.path("server.key")) + read_all(o.path("server.crt")));
  f.dir = dir;
  f.ca = o.path("ca.pem");
  f.server_cert = o.path("server.crt");
  f.server_pem = o.path("server.pem");
  f.client_cert = o.path("client.crt");
  f.client_key = o.path("client.key");
  f.client_identity = "O=zk-tests,CN=test-client";  // RFC 2253, as Java's X500Principal names it
  f.client_key_encrypted = o.path("client-encrypted.key");
  f.other_ca = o.path("other-ca.pem");
  f.other_client_cert = o.path("stranger.crt");
  f.other_client_key = o.path("stranger.key");
  return f;
}

namespace {

// Connects to 127.0.0.1:port until one connection is accepted or the deadline passes.
Result<void> wait_listening(int port, detail::Deadline deadline) {
  const std::string address = "127.0.0.1:" + std::to_string(port);
  for (;;) {
    auto probe = std::min(deadline, detail::deadline_after(std::chrono::seconds(1)));
    auto c = detail::Connection::open(address, probe);
    if (c) return {};
    if (detail::Clock::now() >= deadline)
      return Error(Errc::operation_timeout, "secureClientPort " + address + " not listening in time: " + c.error().message());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the bind has no event to wait on
  }
}

}  // namespace

Result<std::unique_ptr<TlsCluster>> TlsCluster::start(TlsClusterOptions options) {
  std::unique_ptr<TlsCluster> t(new TlsCluster);
  std::string pattern = (fs::temp_directory_path() / "zkit-tls-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return Error(Errc::bad_arguments, "cannot create a temporary directory for certificates");
  t->files_.dir = pattern;
  auto files = make_tls_files(pattern, options.server_certificate);
  if (!files) return std::move(files).error();
  t->files_ = std::move(files).value();

  ClusterOptions& c = options.cluster;
  auto& lines = c.config_lines;
  lines.insert(lines.begin(), {
      "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
      "ssl.keyStore.location=" + t->files_.server_pem,
      "ssl.keyStore.type=PEM",
      "ssl.trustStore.location=" + t->files_.ca,
      "ssl.trustStore.type=PEM",
      "ssl.clientAuth=" + options.client_auth,
      // Only a standalone secureClientPort registers it by itself; port unification does not.
      "authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider",
  });
  if (options.tls13) {
    lines.push_back("ssl.protocol=TLSv1.3");
    lines.push_back("ssl.enabledProtocols=TLSv1.3,TLSv1.2");
    lines.push_back("ssl.ciphersuites=TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,"
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  }
  if (c.size == 1) {
    auto port = detail::reserve_ports(1);
    if (!port) return std::move(port).error();
    t->secure_port_ = (*port)[0];
    lines.push_back("secureClientPortAddress=127.0.0.1");
    lines.push_back("secureClientPort=" + std::to_string(t->secure_port_));
  } else {
    lines.push_back("client.portUnification=true");
  }
  auto cluster = Cluster::start(c);
  if (!cluster) return std::move(cluster).error();
  t->cluster_ = std::move(cluster).value();
  if (t->secure_port_ != 0) {
    // The server binds secureClientPort after the plain port that start() polls: until then a
    // client's first attempt is refused instead of meeting TLS.
    if (auto r = wait_listening(t->secure_port_, detail::deadline_after(c.start_timeout)); !r) return std::move(r).error();
  }
  return t;
}

TlsCluster::~TlsCluster() {
  cluster_.reset();
  if (files_.dir.empty() || std::getenv("ZKIT_KEEP_TEST_DIRS")) return;
  std::error_code ec;  // best effort
  fs::remove_all(files_.dir, ec);
}

std::string TlsCluster::connect_string() const {
  if (secure_port_ == 0) return cluster_->connect_string();
  return "127.0.0.1:" + std::to_string(secure_port_);
}

TlsOptions TlsCluster::client_tls(bool with_client_cert) const {
  TlsOptions o{.enabled = true, .ca_file = files_.ca};
  if (with_client_cert) {
    o.cert_file = files_.client_cert;
    o.key_file = files_.client_key;
  }
  return o;
}

}  // namespace zkit::testing
