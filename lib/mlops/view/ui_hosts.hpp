#pragma once
// Which Host header values `mlops ui` answers to: its defence against DNS rebinding.
//
// A page on an attacker's site can make the browser send requests to this server by pointing the
// attacker's own name at the server's address; the browser then sends that name as Host. So the
// server answers only to names and addresses that are this machine's, never to a name an attacker
// could control: on loopback, the loopback names; on another address, that address and this
// machine's host name; on a wildcard address (0.0.0.0, ::), every address of this machine's
// interfaces (IPv4 ones for 0.0.0.0), the loopback names and the host name. Names the machine is reached by that it
// cannot know (a DNS name, a reverse proxy's) are added with `--allow-host`.
#include <string>
#include <string_view>
#include <vector>

namespace mlops::view {

// What this machine is called: its host name (and the short form of a dotted one) and the
// addresses of its interfaces (IPv6 ones without link-local addresses, which need a zone).
struct MachineNames {
  std::vector<std::string> names;
  std::vector<std::string> addresses;
};
MachineNames this_machine();

bool is_loopback_host(std::string_view host);
bool is_wildcard_host(std::string_view host);

// The Host values (lower case, "name:port", IPv6 addresses in brackets) a server bound to
// `host`:`port` answers to, by the rules above; `extra` are --allow-host values: "NAME" accepts
// NAME and NAME:PORT, "NAME:N" exactly that.
std::vector<std::string> allowed_hosts(std::string_view host, int port, const MachineNames& machine = {},
                                       const std::vector<std::string>& extra = {});

// A URL of the server others can open: the bound address, or for a wildcard the first
// non-loopback IPv4 address of the machine (else 127.0.0.1).
std::string reachable_url(std::string_view host, int port, const MachineNames& machine);

}  // namespace mlops::view
