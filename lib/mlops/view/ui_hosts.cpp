#include "mlops/view/ui_hosts.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace mlops::view {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::ranges::transform(result, result.begin(), [](unsigned char c) { return std::tolower(c); });
  return result;
}

// "[::1]" for an IPv6 address, the name or IPv4 address as it is.
std::string bracketed(std::string_view host) {
  if (host.find(':') != std::string_view::npos && !host.starts_with("[")) return fmt::format("[{}]", host);
  return std::string(host);
}

bool has_port(std::string_view value) {
  auto colon = value.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == value.size()) return false;
  if (value.find(':') != colon && !value.starts_with("[")) return false;  // a bare IPv6 address
  if (value.starts_with("[") && value.rfind(']') > colon) return false;
  return std::all_of(value.begin() + colon + 1, value.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

MachineNames this_machine() {
  MachineNames machine;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) == 0 && name[0]) {
    std::string full = lower(name);
    machine.names.push_back(full);
    if (auto dot = full.find('.'); dot != std::string::npos && dot > 0) machine.names.push_back(full.substr(0, dot));
  }
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return machine;
  for (ifaddrs* entry = list; entry; entry = entry->ifa_next) {
    if (!entry->ifa_addr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (entry->ifa_addr->sa_family == AF_INET) {
      auto* address = reinterpret_cast<sockaddr_in*>(entry->ifa_addr);
      if (::inet_ntop(AF_INET, &address->sin_addr, text, sizeof text)) machine.addresses.emplace_back(text);
    } else if (entry->ifa_addr->sa_family == AF_INET6) {
      auto* address = reinterpret_cast<sockaddr_in6*>(entry->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&address->sin6_addr)) continue;
      if (::inet_ntop(AF_INET6, &address->sin6_addr, text, sizeof text)) machine.addresses.emplace_back(text);
    }
  }
  ::freeifaddrs(list);
  return machine;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

bool is_wildcard_host(std::string_view host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

std::vector<std::string> allowed_hosts(std::string_view host, int port, const MachineNames& machine,
                                       const std::vector<std::string>& extra) {
  std::vector<std::string> hosts;
  auto add = [&](std::string value) {
    value = lower(value);
    if (std::ranges::find(hosts, value) == hosts.end()) hosts.push_back(std::move(value));
  };
  auto add_host = [&](std::string_view name) { add(fmt::format("{}:{}", bracketed(name), port)); };
  bool wildcard = is_wildcard_host(host);
  if (is_loopback_host(host) || wildcard) {
    if (!wildcard) add_host(host);
    for (std::string_view name : {"127.0.0.1", "localhost", "::1"}) add_host(name);
  } else {
    add_host(host);
  }
  if (wildcard) {
    // 0.0.0.0 listens on IPv4 only; :: on both.
    bool ipv4_only = host == "0.0.0.0";
    for (const auto& address : machine.addresses) {
      if (!ipv4_only || address.find(':') == std::string::npos) add_host(address);
    }
  }
  // The host name is this machine's own (an attacker's page cannot make it resolve elsewhere for
  // the victim's browser), and on loopback a name of the machine reaches only the loopback if
  // /etc/hosts says so: it is accepted wherever the server is bound beyond loopback.
  if (!is_loopback_host(host)) {
    for (const auto& name : machine.names) add_host(name);
  }
  for (const auto& value : extra) {
    if (has_port(value)) {
      add(value);
    } else {
      add(bracketed(value));
      add_host(value);
    }
  }
  return hosts;
}

std::string reachable_url(std::string_view host, int port, const MachineNames& machine) {
  std::string shown(host);
  if (is_wildcard_host(host)) {
    shown = "127.0.0.1";
    for (const auto& address : machine.addresses) {
      if (address.find(':') == std::string::npos && !is_loopback_host(address)) {
        shown = address;
        break;
      }
    }
  }
  return fmt::format("http://{}:{}/", bracketed(shown), port);
}

}  // namespace mlops::view
