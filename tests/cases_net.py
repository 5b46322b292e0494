"""Scripted tests of the network (docs/network.md): the machine gets an
e1000 on QEMU's user network (scripts/qemu --net), the kernel's DHCP
client takes the lease QEMU offers (10.0.2.15, gateway 10.0.2.2), and
ping, from the shell, gets echo replies from the gateway while the card's
counters in kstat move. The static fallback is tried with `netstatic` on
the command line, and a machine with no card makes ping fail cleanly."""
import re
import socket

from tests.runner import case
from tests.cases_shell import command, start

LEASE = r"net: address 10\.0\.2\.15 netmask 255\.255\.255\.0 gateway 10\.0\.2\.2 \((DHCP lease|static), (\d+) ms after boot\)"


def free_port():
    """A host TCP port nobody listens on now, for the forward QEMU sets
    up (tests run side by side: each needs its own)."""
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        return sk.getsockname()[1]


def counters(s, out):
    """{name: value} of ifconfig's counter lines."""
    got = {}
    for way in ("rx", "tx"):
        m = re.search(rf"{way} packets (\d+) bytes (\d+)", out)
        if not m:
            s.fail(f"ifconfig shows no {way} counters: {out!r}")
        got[f"{way}_packets"], got[f"{way}_bytes"] = int(m.group(1)), int(m.group(2))
    m = re.search(r"drops (\d+) errors (\d+)", out)
    if not m:
        s.fail(f"ifconfig shows no drops and errors: {out!r}")
    got["drops"], got["errors"] = int(m.group(1)), int(m.group(2))
    return got


def lease(s):
    """The kernel's line about its address, logged before or after the
    shell's first prompt: (how, ms after boot)."""
    start(s)
    m = re.search(LEASE, s.serial) or s.wait_for(LEASE, timeout=20)
    return m.group(1), int(m.group(2))


def ping_gateway(s):
    """ping 10.0.2.2 three times under leakcheck: every reply comes, and
    nothing leaks."""
    out = command(s, "leakcheck ping 10.0.2.2 3")
    if not re.search(r"ping: from 10\.0\.2\.15 to 10\.0\.2\.2", out):
        s.fail(f"ping does not show the interface's address: {out!r}")
    if "ping: 3 sent, 3 received" not in out:
        s.fail(f"ping's echo requests were not all answered: {out!r}")
    if "LEAKCHECK PASS ping" not in out:
        s.fail(f"ping did not pass leakcheck: {out!r}")


@case(boot=False, timeout=60)
def net_dhcp_ping(s):
    """The kernel logs its DHCP lease, 10.0.2.15/24 with gateway
    10.0.2.2; ifconfig shows it with the card's MAC; ping 10.0.2.2 gets
    three replies; the receive and transmit counters grow by at least the
    echoes, with no error. A TCP connection from the host to the
    forwarded port reaches the guest's stack, which has no listener and
    refuses it: the host sees the connection end, and the guest lives."""
    port = free_port()
    s.boot("", net=port)
    how, _ = lease(s)
    if how != "DHCP lease":
        s.fail(f"the address is not a DHCP lease but {how}")
    before = command(s, "ifconfig")
    if not re.search(r"link up, DHCP lease", before) or "ether 52:54:00:12:34:56" not in before:
        s.fail(f"ifconfig does not show the lease and the card: {before!r}")
    a = counters(s, before)
    if a["rx_packets"] < 2 or a["tx_packets"] < 2:
        s.fail(f"the DHCP exchange left no trace in the counters: {a}")
    ping_gateway(s)
    b = counters(s, command(s, "ifconfig"))
    for k in ("rx_packets", "tx_packets"):
        if b[k] < a[k] + 3:
            s.fail(f"{k} went from {a[k]} to {b[k]}, fewer than three echoes")
    if b["rx_bytes"] <= a["rx_bytes"] or b["tx_bytes"] <= a["tx_bytes"] or b["errors"]:
        s.fail(f"byte counters did not grow, or errors: {a} -> {b}")
    refused(s, port)
    c = counters(s, command(s, "ifconfig"))
    if c["rx_packets"] <= b["rx_packets"] or c["tx_packets"] <= b["tx_packets"]:
        s.fail(f"the connection left no trace in the counters: {b} -> {c}")


def refused(s, port):
    """Connect from the host to the forwarded port: QEMU accepts, then
    opens the connection to the guest's port 80, where nothing listens,
    and closes the host's side when the guest answers with a reset."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sk:
        sk.settimeout(10)
        try:
            sk.sendall(b"hello")
            data = sk.recv(16)
        except ConnectionResetError:
            data = b""
        except socket.timeout:
            s.fail("the guest neither took nor refused a connection to port 80")
    if data:
        s.fail(f"port 80 answered {data!r}, and nothing listens there")


@case(boot=False, timeout=60)
def net_static_ping(s):
    """With `netstatic` the kernel takes 10.0.2.15/24, gateway 10.0.2.2,
    without asking DHCP, and ping 10.0.2.2 still gets its replies."""
    s.boot("netstatic", net=free_port())
    how, _ = lease(s)
    if how != "static":
        s.fail(f"netstatic gave a {how}")
    ping_gateway(s)


@case(timeout=60)
def net_no_card(s):
    """Without a network card ping and ifconfig say so and fail, and
    the kernel logs no address."""
    start(s)
    out = command(s, "ping 10.0.2.2 1")
    if "ping: no network card, or no address" not in out:
        s.fail(f"ping without a card: {out!r}")
    if "ifconfig: no network card" not in command(s, "ifconfig"):
        s.fail("ifconfig without a card does not say so")
    if re.search(r"net: address", s.serial):
        s.fail("an address without a card")


# The hostile wire: the test is the rest of the network, 10.0.2.2 at
# HOST_MAC, and talks to the guest in raw Ethernet frames.
GUEST_MAC = bytes.fromhex("525400123456")
HOST_MAC = bytes.fromhex("020000000001")
GUEST_IP = bytes([10, 0, 2, 15])
HOST_IP = bytes([10, 0, 2, 2])


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total & 0xFFFF).to_bytes(2, "big")


def ether(payload, kind=b"\x08\x00", dst=GUEST_MAC):
    return dst + HOST_MAC + kind + payload


def ipv4(payload, proto=1, ihl=5, total=None, frag=b"\0\0", good_sum=True, src=HOST_IP):
    total = 20 + len(payload) if total is None else total
    head = bytes([0x40 | ihl, 0]) + total.to_bytes(2, "big") + b"\x12\x34" + frag + \
        bytes([64, proto]) + b"\0\0" + src + GUEST_IP
    if good_sum:
        head = head[:10] + checksum(head) + head[12:]
    return head + payload


def echo_request(seq, good_sum=True, data=b"fable-wire"):
    body = b"\x08\x00\0\0\x77\x77" + seq.to_bytes(2, "big") + data
    if good_sum:
        body = body[:2] + checksum(body) + body[4:]
    return body


def arp(op, target_ip, sender_ip=HOST_IP, hlen=6, plen=4):
    return b"\x00\x01\x08\x00" + bytes([hlen, plen]) + op.to_bytes(2, "big") + \
        HOST_MAC + sender_ip + bytes(6) + target_ip


def hostile_frames():
    """Frames that are wrong in every way a small stack trips over."""
    import random
    rng = random.Random(17)
    frames = [
        b"\x01" * 10,                                            # a runt
        ether(b"\x45\x00\x00"),                                   # IPv4, 3 bytes
        ether(ipv4(b"", ihl=15)),                                 # header longer than frame
        ether(ipv4(b"\0" * 8, ihl=3)),                            # header shorter than 20
        ether(ipv4(echo_request(1), total=65535)),                # length past the frame
        ether(ipv4(echo_request(2), total=10)),                   # length below the header
        ether(ipv4(echo_request(3), good_sum=False)),             # bad IP checksum
        ether(ipv4(echo_request(4, good_sum=False))),             # bad ICMP checksum
        ether(ipv4(b"\x08", proto=1)),                            # ICMP of one byte
        ether(ipv4(b"\0" * 7, proto=17)),                         # UDP shorter than its header
        ether(ipv4(b"\0" * 10, proto=6)),                         # TCP shorter than its header
        ether(arp(1, GUEST_IP, hlen=200), b"\x08\x06"),           # ARP with absurd lengths
        ether(arp(1, GUEST_IP)[:12], b"\x08\x06"),                # ARP cut short
        ether(b"\0" * 1600),                                      # longer than Ethernet allows
    ]
    # Fragments: a first one that never completes, and one far out.
    for off in (0, 8191):
        flags = (0x2000 | off).to_bytes(2, "big")
        frames.append(ether(ipv4(echo_request(5) + b"x" * 200, frag=flags)))
    for _ in range(300):                                          # noise, of every length
        kind = rng.choice([b"\x08\x00", b"\x08\x06", b"\x86\xdd", b"\x12\x34"])
        frames.append(ether(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 1500))), kind))
    return frames


def arp_reply(to_mac):
    """10.0.2.2 is at HOST_MAC, told to the guest."""
    return ether(b"\x00\x01\x08\x00\x06\x04\x00\x02" + HOST_MAC + HOST_IP + to_mac + GUEST_IP,
                 b"\x08\x06", dst=to_mac)


def wire_answer(s, sk, peer, poke, want):
    """Send the frame poke every half second (the host drops datagrams
    that QEMU has not read yet) until a frame from the guest satisfies
    want, answering its ARP requests for 10.0.2.2 on the way; that
    frame."""
    import time
    end = time.monotonic() + 15
    while time.monotonic() < end:
        sk.sendto(poke, peer)
        try:
            frame = sk.recv(2048)
        except socket.timeout:
            continue
        if frame[12:14] == b"\x08\x06" and frame[20:22] == b"\x00\x01" and frame[38:42] == HOST_IP:
            sk.sendto(arp_reply(frame[6:12]), peer)
        if want(frame):
            return frame
    s.fail("the guest sent no answer on the wire")


@case(boot=False, timeout=90)
def net_hostile_frames(s):
    """On a wire the test plays itself (scripts/qemu --net-udp): hundreds
    of malformed frames - runts, truncated and lying IPv4 headers, bad
    checksums, short ICMP, UDP and TCP, absurd ARP, oversized frames,
    fragments that never complete, random noise - do not bring the kernel
    down or stop its stack: an echo request sent after them is answered,
    and the shell still works."""
    sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sk.bind(("127.0.0.1", 0))
    sk.settimeout(0.5)
    guest_port = free_udp_port()
    peer = ("127.0.0.1", guest_port)
    with sk:
        s.boot("netstatic", net_udp=(guest_port, sk.getsockname()[1]))
        if lease(s)[0] != "static":
            s.fail("netstatic gave no static address")
        for frame in hostile_frames():
            sk.sendto(frame, peer)
        reply = wire_answer(s, sk, peer, ether(ipv4(echo_request(9))), lambda f: f[12:14] == b"\x08\x00" and f[23] == 1 and
                            f[34] == 0 and f[38:40] == b"\x77\x77" and f[40:42] == b"\x00\x09")
        if reply[30:34] != HOST_IP or reply[42:52] != b"fable-wire":
            s.fail(f"the echo reply is wrong: {reply[:60].hex()}")
        out = command(s, "ifconfig")
        if "link up, static address" not in out:
            s.fail(f"ifconfig after the hostile frames: {out!r}")
        c = counters(s, out)
        if c["rx_packets"] + c["drops"] + c["errors"] < 100:
            s.fail(f"most hostile frames never reached the card: {c}")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sk:
        sk.bind(("127.0.0.1", 0))
        return sk.getsockname()[1]


def echo_one(s, port, sizes, seed, errors):
    """One connection: each size's bytes sent and read back, byte for
    byte; what went wrong into errors."""
    import random
    rng = random.Random(seed)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sk:
            sk.settimeout(20)
            for size in sizes:
                data = bytes(rng.getrandbits(8) for _ in range(size))
                sk.sendall(data)
                got = b""
                while len(got) < size:
                    chunk = sk.recv(65536)
                    if not chunk:
                        break
                    got += chunk
                if got != data:
                    errors.append(f"connection {seed}: {size} bytes sent, {len(got)} back, "
                                  f"{'equal' if data.startswith(got) else 'different'}")
                    return
    except OSError as e:
        errors.append(f"connection {seed}: {e!r}")


def ended(s, sk, what):
    """The guest's side of sk went away: the host reads an end or a reset."""
    sk.settimeout(10)
    try:
        data = sk.recv(16)
    except ConnectionResetError:
        data = b""
    except socket.timeout:
        s.fail(f"{what}: the connection did not end")
    if data:
        s.fail(f"{what}: {data!r} came instead of the end")


@case(boot=False, timeout=120)
def net_sockets(s):
    """user/tests/net_sock.c under leakcheck, with the host as its peer:
    four connections at once, each echoing sizes from 1 byte to 64 KiB
    byte for byte through the guest's echo threads; a fifth served by a
    forked child from the shared listener; a sixth held by a task killed
    while it waits in read, which the host sees end; and everything back
    in the kernel's counters afterwards."""
    import threading
    port = free_port()
    s.boot("netstatic -- leakcheck -p net_sock", net=port)
    s.wait_for(r"net_sock: echo ready", timeout=30)
    sizes = [1, 2, 100, 1460, 1461, 4096, 5000, 8192, 20000, 65536]
    errors = []
    conns = [threading.Thread(target=echo_one, args=(s, port, sizes[i:] + sizes[:i], i, errors))
             for i in range(4)]
    for t in conns:
        t.start()
    for t in conns:
        t.join()
    if errors:
        s.fail("; ".join(errors))
    s.wait_for(r"net_sock: fork ready", timeout=20)
    errors = []
    echo_one(s, port, [7, 3000, 30000], 9, errors)
    if errors:
        s.fail("through the forked child: " + "; ".join(errors))
    s.wait_for(r"net_sock: recv ready", timeout=20)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sk:
        ended(s, sk, "the task killed in read")
    s.expect_test_pass("net_sock")


@case(boot=False, timeout=90)
def net_echod(s):
    """user/bin/echod as the first program, with room for two
    connections at once: three from the host at once are all echoed
    byte for byte (the third waits for a thread to finish)."""
    import threading
    port = free_port()
    s.boot("netstatic -- echod 80 2", net=port)
    s.wait_for(r"echod: listening on port 80", timeout=30)
    errors = []
    conns = [threading.Thread(target=echo_one, args=(s, port, [1, 3000, 40000, 5], i, errors))
             for i in range(3)]
    for t in conns:
        t.start()
    for t in conns:
        t.join()
    if errors:
        s.fail("; ".join(errors))
    if re.search(r"echod: accept", s.serial):
        s.fail("echod's accept failed")


# TCP on the wire: the test is a small TCP peer of its own.
FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16
MSS_OPTION = b"\x02\x04\x05\xb4"                                # 1460


def tcp(sport, dport, seq, ack, flags, data=b"", win=65535, src=HOST_IP, opts=b""):
    """An Ethernet frame with a TCP segment from src to the guest."""
    seg = sport.to_bytes(2, "big") + dport.to_bytes(2, "big") + (seq & 0xFFFFFFFF).to_bytes(4, "big") + \
        (ack & 0xFFFFFFFF).to_bytes(4, "big") + bytes([(20 + len(opts)) // 4 << 4, flags]) + \
        win.to_bytes(2, "big") + b"\0\0\0\0" + opts + data
    pseudo = src + GUEST_IP + b"\0\x06" + len(seg).to_bytes(2, "big")
    seg = seg[:16] + checksum(pseudo + seg) + seg[18:]
    return ether(ipv4(seg, proto=6, src=src))


class Conn:
    """One connection the peer keeps: sequence numbers, the bytes the
    guest sent in order, and whether the peer acknowledges them."""
    def __init__(self, acking):
        self.rcv_nxt = self.snd_nxt = 0
        self.data = bytearray()
        self.acking = acking
        self.up = False
        self.fin = self.fin_sent = self.reset = False


class Peer:
    """The rest of the network on the raw wire, run by a thread: it
    answers ARP for 10.0.2.2, accepts the guest's connections to any
    port, keeps what the guest sends on each connection, and
    acknowledges it only while the connection's acking is set; it can
    also open a connection to the guest (connect)."""
    ISN = 0x10000

    def __init__(self, sk, peer, acking=True):
        import threading
        self.sk, self.peer, self.acking = sk, peer, acking
        self.conns = {}                                     # (our port, guest port)
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.stopped = False
        self.answers = 0                                    # SYN-ACKs and resets, to anyone
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def send(self, frame):
        try:
            self.sk.sendto(frame, self.peer)
        except OSError:
            pass

    def stop(self):
        self.stopped = True
        self.thread.join()

    def run(self):
        while not self.stopped:
            try:
                frame = self.sk.recv(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.frame(frame)
                self.changed.notify_all()

    def frame(self, f):
        if f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x01" and f[38:42] == HOST_IP:
            self.send(arp_reply(f[6:12]))
        if len(f) < 54 or f[12:14] != b"\x08\x00" or f[23] != 6:
            return
        if f[14 + (f[14] & 15) * 4 + 13] & (SYN | RST):
            self.answers += 1
        if f[30:34] != HOST_IP:
            return
        ip = f[14:]
        ihl, total = (ip[0] & 15) * 4, int.from_bytes(ip[2:4], "big")
        t = ip[ihl:total]
        gport, port = int.from_bytes(t[0:2], "big"), int.from_bytes(t[2:4], "big")
        seq, ack = int.from_bytes(t[4:8], "big"), int.from_bytes(t[8:12], "big")
        flags, data = t[13], t[(t[12] >> 4) * 4:]
        c = self.conns.get((port, gport))
        if flags & SYN and not flags & ACK:                 # the guest connects
            c = self.conns[(port, gport)] = Conn(self.acking)
            c.rcv_nxt, c.snd_nxt, c.up = seq + 1, self.ISN + 1, True
            self.send(tcp(port, gport, self.ISN, c.rcv_nxt, SYN | ACK, opts=MSS_OPTION))
            return
        if c is None:
            return
        if flags & RST:
            c.reset = True
            return
        if flags & SYN and not c.up:                        # our connect answered
            c.rcv_nxt, c.up = seq + 1, True
            self.send(tcp(port, gport, c.snd_nxt, c.rcv_nxt, ACK))
            return
        if data and seq == c.rcv_nxt:
            c.data += data
            c.rcv_nxt += len(data)
        if flags & FIN and seq + len(data) == c.rcv_nxt:
            c.rcv_nxt += 1
            c.fin = True
        if c.acking and (data or flags & FIN):
            self.ack(port, gport, c)

    def ack(self, port, gport, c):
        """Acknowledge all the guest sent; our FIN after its."""
        flags = ACK
        if c.fin and not c.fin_sent:
            flags |= FIN
        self.send(tcp(port, gport, c.snd_nxt, c.rcv_nxt, flags))
        if flags & FIN:
            c.fin_sent = True
            c.snd_nxt += 1

    def ack_all(self):
        """Start acknowledging on every connection."""
        with self.lock:
            self.acking = True
            for (port, gport), c in self.conns.items():
                c.acking = True
                self.ack(port, gport, c)

    def wait(self, cond, timeout):
        """Wait until cond() (called with the lock held) is true."""
        with self.lock:
            return self.changed.wait_for(cond, timeout)

    def connect(self, port, gport, timeout):
        """Open a connection from our port to the guest's gport, sending
        the SYN again every 0.3 s; the connection, or None."""
        import time
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                c = self.conns[(port, gport)] = Conn(True)
                c.snd_nxt = self.ISN + 1
                self.send(tcp(port, gport, self.ISN, 0, SYN, opts=MSS_OPTION))
            if self.wait(lambda: c.up or c.reset, 0.3) and c.up:
                return c
        return None

    def write(self, port, gport, c, data):
        with self.lock:
            self.send(tcp(port, gport, c.snd_nxt, c.rcv_nxt, PSH | ACK, data))
            c.snd_nxt += len(data)

    def close(self, port, gport, c):
        with self.lock:
            self.send(tcp(port, gport, c.snd_nxt, c.rcv_nxt, FIN | ACK))
            c.snd_nxt += 1


def wire(s, cmdline):
    """Boot cmdline with the e1000 on a raw wire: the host's socket and
    the guest's address on it."""
    sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sk.bind(("127.0.0.1", 0))
    sk.settimeout(0.2)
    guest_port = free_udp_port()
    s.boot(cmdline, net_udp=(guest_port, sk.getsockname()[1]))
    return sk, ("127.0.0.1", guest_port)


@case(boot=False, timeout=60)
def net_tx_memory(s):
    """user/tests/net_txmem.c under leakcheck, with the test as a peer
    that acknowledges nothing at first: a write with a 300 ms send
    timeout returns what fits, then -ETIMEDOUT; six connections'
    unacknowledged data fill lwIP's shared memory, so a write on a
    seventh, with nothing queued of its own, is refused and waits; once
    the peer acknowledges the others' data, that write goes on (it used
    to wait for ever: only an acknowledgement of its own woke it)."""
    sk, peer = wire(s, "netstatic -- leakcheck -p net_txmem")
    with sk:
        p = Peer(sk, peer, acking=False)
        s.wait_for(r"net_txmem: full", timeout=30)
        import time
        time.sleep(1)                                       # the last write is refused
        p.ack_all()
        s.wait_for(r"net_txmem: sent 3000", timeout=15)
        s.expect_test_pass("net_txmem")
        p.stop()


def flood(p, count, port):
    """count SYNs to the guest's port from made-up addresses and ports,
    never completed, in bursts of 10, each sent once the guest has
    answered most of the last (by SYN-ACKs or, to those it evicted,
    resets), or half a second passed: QEMU's socket then drops few, and
    a real client's segments wait behind few SYNs."""
    import random
    rng = random.Random(5)
    for _ in range(count // 10):
        before = p.answers
        for _ in range(10):
            src = bytes([rng.randint(11, 126), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)])
            p.send(tcp(rng.randint(1024, 65535), port, rng.getrandbits(32), 0, SYN, src=src, opts=MSS_OPTION))
        p.wait(lambda: p.answers - before >= 8, 0.5)


def client(s, p, port, what):
    """A real client from our port: connect to the guest's port 80, have
    a line echoed, close. Under a flood the guest may evict the
    connection before our handshake's last ACK reaches it, and answer
    that ACK with a reset: then, as a real client would, connect again."""
    line = f"hello from {what}\n".encode()
    for _ in range(10):
        c = p.connect(port, 80, timeout=10)
        if c is None:
            s.fail(f"{what}: no connection to port 80")
        p.write(port, 80, c, line)
        if not p.wait(lambda: bytes(c.data) == line or c.reset, 10):
            s.fail(f"{what}: {bytes(c.data)!r} echoed for {line!r}")
        if not c.reset:
            break
    else:
        s.fail(f"{what}: ten connections reset")
    p.close(port, 80, c)
    if not p.wait(lambda: c.fin, 10):
        s.fail(f"{what}: the guest did not close")


@case(boot=False, timeout=90)
def net_syn_flood(s):
    """user/tests/net_flood.c under leakcheck listens on port 80 of a raw
    wire; the test sends ten thousand SYNs from made-up addresses and
    ports, never completed (each a half-open connection, which lwIP
    keeps in a pcb of its pool of 8), and in the middle of them connects
    as a real client and has a line echoed; then once more after them;
    then it completes twelve handshakes the program never accepts, past
    its backlog of 4, and all but those 4 are reset. The guest serves
    both clients, and its counters come back (the half-open
    connections held the pool for 20 s each, and the real client's SYNs
    found no room)."""
    import threading
    sk, peer = wire(s, "netstatic -- leakcheck -p net_flood")
    with sk:
        p = Peer(sk, peer)
        s.wait_for(r"net_flood: ready", timeout=30)
        f = threading.Thread(target=flood, args=(p, 10000, 80))
        f.start()
        p.wait(lambda: p.answers >= 3000, 30)
        client(s, p, 40001, "a client during the flood")
        f.join()
        client(s, p, 40002, "a client after the flood")
        s.wait_for(r"net_flood: backlog", timeout=10)
        conns = [p.connect(41000 + i, 80, timeout=10) for i in range(12)]
        if None in conns:
            s.fail("a handshake with the listener did not complete")
        if not p.wait(lambda: sum(c.reset for c in conns) >= 12 - 4, 10):
            s.fail(f"{sum(c.reset for c in conns)} of 12 connections past a backlog of 4 were reset")
        m = s.wait_for(r"net_flood: (\d+) frames received, (\d+) dropped", timeout=10)
        if int(m.group(1)) + int(m.group(2)) < 5000:                # the host may drop some
            s.fail(f"most of the flood never reached the guest: {m.group(0)}")
        s.expect_test_pass("net_flood")
        p.stop()


@case(boot=False, timeout=60)
def net_netstat(s):
    """user/tests/net_list.c under leakcheck: the host connects to the
    guest's port 80 and sends five bytes; NET_SOCKS lists the listener
    and the connection with their ports, states, queued bytes and owner,
    and netstat prints both."""
    port = free_port()
    s.boot("netstatic -- leakcheck -p net_list", net=port)
    s.wait_for(r"net_list: ready", timeout=30)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sk:
        sk.settimeout(20)
        sk.sendall(b"hello")
        peer = s.wait_for(r"net_list: peer port (\d+)\r?\n", timeout=20).group(1)
        s.wait_for(r"LISTEN +0\.0\.0\.0:80 +\* +0 +0 +\d+", timeout=10)
        s.wait_for(rf"CONNECTED +10\.0\.2\.15:80 +10\.0\.2\.2:{peer} +5 +0 +\d+", timeout=10)
        if sk.recv(16) != b"ok":
            s.fail("the guest did not answer after netstat")
    s.expect_test_pass("net_list")


def serve_http(directory):
    """A threading HTTP server for directory on a free port of the
    host's 127.0.0.1, which the guest reaches as 10.0.2.2 (QEMU's user
    network); the server, its port."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=directory))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1]


@case(boot=False, timeout=90)
def net_wget(s):
    """user/bin/wget against a Python HTTP server on the host: 100 KiB
    of random bytes into /tmp, read back with the CRC-32 the host
    computes; a small file to the console; and each error said clearly:
    a bad URL, a 404, a refused connection, a server that never
    answers (-T 1)."""
    import os
    import tempfile
    import zlib
    data = os.urandom(100 * 1024)
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "blob"), "wb") as f:
            f.write(data)
        with open(os.path.join(d, "hello.txt"), "w") as f:
            f.write("fable fetched this\n")
        srv, port = serve_http(d)
        try:
            s.boot("netstatic", net=free_port())
            lease(s)
            url = f"http://10.0.2.2:{port}"
            out = command(s, f"wget -O /tmp/blob {url}/blob")
            want = f"wget: saved {len(data)} bytes to /tmp/blob, crc32 {zlib.crc32(data):08x}"
            if want not in out:
                s.fail(f"wget of 100 KiB: {out!r}, not {want!r}")
            out = command(s, f"wget {url}/hello.txt")
            if "fable fetched this" not in out:
                s.fail(f"wget to the console: {out!r}")
            out = command(s, f"wget -O /tmp/x {url}/nothing")
            if "wget: the server answered HTTP/1.0 404" not in out:
                s.fail(f"wget of a missing file: {out!r}")
            for line, want in ((f"wget ftp://10.0.2.2/", "wget: bad URL"),
                               (f"wget http://10.0.2.2:{free_port()}/", "wget: connect: connection refused")):
                out = command(s, line)
                if want not in out:
                    s.fail(f"{line!r}: {out!r}, not {want!r}")
            with socket.socket() as mute:
                mute.bind(("127.0.0.1", 0))
                mute.listen(4)
                out = command(s, f"wget -T 1 http://10.0.2.2:{mute.getsockname()[1]}/")
            if "wget: reading the headers: timed out" not in out:
                s.fail(f"wget from a server that never answers: {out!r}")
        finally:
            srv.shutdown()


@case(boot=False, timeout=60)
def net_task_sockets(s):
    """user/tests/net_cap.c under leakcheck: a task with NET_TASK_SOCKS
    sockets gets -EMFILE for one more, and for an accept, whose
    connection from the host is closed; once it closes one, the next
    connection is accepted and answered."""
    port = free_port()
    s.boot("netstatic -- leakcheck -p net_cap", net=port)
    s.wait_for(r"net_cap: full", timeout=30)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sk:
        ended(s, sk, "a connection past the task's sockets")
    s.wait_for(r"net_cap: room", timeout=20)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sk:
        sk.settimeout(10)
        sk.sendall(b"x")
        if sk.recv(4) != b"ok":
            s.fail("the connection after a socket was closed was not answered")
    s.expect_test_pass("net_cap")


@case(boot=False, timeout=360)
def net_timewait(s):
    """user/tests/net_timewait.c under leakcheck: a guest socket ends its
    side first and then reads the host's end, so its connection waits in
    TIME-WAIT; the host then holds as many connections at once as lwIP
    has pcbs, so one of them takes the TIME-WAIT pcb, and only then does
    the guest close the first socket. Three rounds of connections after
    it are all answered, and the kernel neither panics nor leaks."""
    import threading
    port = free_port()
    s.boot("netstatic -- leakcheck -p net_timewait", net=port)
    s.wait_for(r"net_timewait: ready", timeout=30)
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sk:
        got = b""
        while chunk := sk.recv(16):
            got += chunk
        if got != b"bye":
            s.fail(f"the first connection gave {got!r}")
    s.wait_for(r"net_timewait: time-wait", timeout=20)
    for r in range(3):
        errors = []

        def one(i):
            # 90 s: a SYN that found the pcbs full is sent again by QEMU's
            # side only after 3, 6, 12, 24 s, and the guest answers none of
            # the 8 before it has accepted all of them
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=90) as c:
                    c.settimeout(90)
                    if c.recv(1) != b"x":
                        errors.append(f"round {r} connection {i}: no answer")
            except OSError as e:
                errors.append(f"round {r} connection {i}: {e!r}")

        held = [threading.Thread(target=one, args=(i,)) for i in range(8)]
        for t in held:
            t.start()
        for t in held:
            t.join()
        if errors:
            s.fail("; ".join(errors))
        s.wait_for(rf"net_timewait: round {r}", timeout=30)
    s.expect_test_pass("net_timewait")
