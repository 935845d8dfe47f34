#!/usr/bin/python3
"""test_engines: a campaign spread by two real engines, GNU parallel and a Slurm
job array (tools/campaign.sbatch), merged with `gtxsim merge`, gives the same
results.tsv, summary.json and junit.xml as one process, byte for byte
(docs/campaigns.md). The Slurm section starts its own single-node cluster on
127.0.0.1 (munged, slurmctld, slurmd as root, in a temporary directory, on
ports of its own) and stops it again; it is skipped, with the reason, where
that cannot be done. Usage: test_engines.py GTXSIM SOURCE_ROOT SECTION..."""
import filecmp
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

GTXSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SECTIONS = sys.argv[3:]
SMALL = os.path.join(ROOT, "tests", "campaign", "small.json")
SEEDS = "3:9"
TMP = tempfile.mkdtemp(prefix="gtx_engines_")
os.chmod(TMP, 0o755)  # slurmd's tasks write here
OUTPUTS = ("results.tsv", "summary.json", "junit.xml")
SKIP = 77  # meson's "skipped"
# The most the Slurm section waits for its cluster to be ready. A bound only:
# readiness is the daemons' own state, polled (a few seconds on an idle machine).
READY_S = 180
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def single_run():
    out = os.path.join(TMP, "single")
    r = subprocess.run([GTXSIM, "campaign", "--seeds", SEEDS, "--config", SMALL, "-j", "1",
                        "--out", out], capture_output=True, text=True, timeout=300)
    expect(r.returncode == 0, "single run: exit %d, %r" % (r.returncode, r.stderr))
    return out


def merged_equals_single(shards, name):
    merged = os.path.join(TMP, name + "-merged")
    r = subprocess.run([GTXSIM, "merge", *shards, "--out", merged], capture_output=True,
                       text=True, timeout=60)
    expect(r.returncode == 0 and r.stdout == "6 runs, 0 failed\n",
           "%s merge: exit %d, %r %r" % (name, r.returncode, r.stdout, r.stderr))
    single = single_run()
    for f in OUTPUTS:
        expect(os.path.exists(os.path.join(merged, f)) and
               filecmp.cmp(os.path.join(single, f), os.path.join(merged, f), shallow=False),
               "%s: merged %s differs from the single run's" % (name, f))


def gnu_parallel():
    if not shutil.which("parallel"):
        print("SKIP: GNU parallel is not installed (tools/setup.sh installs it)")
        sys.exit(SKIP)
    out = os.path.join(TMP, "par")
    r = subprocess.run(["parallel", "--will-cite", "-j", "2", GTXSIM, "campaign", "--seeds",
                        SEEDS, "--config", SMALL, "-j", "1", "-q", "--shard", "{}/3", "--out",
                        out + "/shard-{}", ":::", "1", "2", "3"],
                       capture_output=True, text=True, timeout=300)
    expect(r.returncode == 0, "parallel: exit %d, %r" % (r.returncode, r.stderr))
    merged_equals_single(sorted(glob.glob(out + "/shard-*")), "GNU parallel")


# ---- a single-node Slurm cluster on 127.0.0.1 ----

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def skip(why):
    print("SKIP: " + why)
    sys.exit(SKIP)


class Cluster:
    def __init__(self):
        self.dir = os.path.join(TMP, "slurm")
        os.makedirs(self.dir + "/state")
        os.makedirs(self.dir + "/spool")
        self.env = dict(os.environ, SLURM_CONF=self.dir + "/slurm.conf")
        self.munge_sock = self.dir + "/munge.sock"
        self.started = []

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self):
        key = self.path("munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        r = subprocess.run(["munged", "--force", "--key-file", key, "--socket", self.munge_sock,
                            "--pid-file", self.path("munged.pid"), "--log-file",
                            self.path("munged.log"), "--seed-file", self.path("munged.seed")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            skip("munged does not start: %s" % r.stderr.strip())
        self.started.append("munged")
        ctld, node = free_port(), free_port()
        conf = """ClusterName=gtxtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={ctld}
SlurmdPort={node}
AuthType=auth/munge
AuthInfo=socket={sock}
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
""".format(ctld=ctld, node=node, sock=self.munge_sock, d=self.dir, cpus=os.cpu_count() or 1)
        with open(self.path("slurm.conf"), "w") as f:
            f.write(conf)
        for cmd in (["slurmctld", "-i"], ["slurmd", "-N", "localhost"]):
            r = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
            if r.returncode != 0:
                self.stop()
                skip("%s does not start: %s" % (cmd[0], r.stderr.strip()))
            self.started.append(cmd[0])
        self.wait_ready()

    def logs(self):
        return " | ".join("%s: %s" % (n, open(self.path(n)).read()[-400:].strip())
                          for n in ("slurmctld.log", "slurmd.log")
                          if os.path.exists(self.path(n)))

    def exited(self, name):
        """True when the daemon wrote its pid file and that process is gone."""
        try:
            pid = int(open(self.path(name + ".pid")).read().split()[0])
        except (OSError, ValueError, IndexError):
            return False  # not written yet: not decided
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False

    def wait_ready(self):
        """Polls the cluster's own state (scontrol ping, then sinfo) until the node
        is idle. A daemon that exits is a cluster that cannot start here (skip, with
        its log); daemons that run but never get the node idle within READY_S
        are a failure, not a skip, so that a loaded machine does not hide one."""
        deadline = time.monotonic() + READY_S
        ping = state = ""
        while time.monotonic() < deadline:
            for name in ("slurmctld", "slurmd"):
                if self.exited(name):
                    logs = self.logs()
                    self.stop()
                    skip("%s exited after it started: %s" % (name, logs))
            r = subprocess.run(["scontrol", "ping"], env=self.env, capture_output=True,
                               text=True)
            ping = (r.stdout + r.stderr).strip()
            if r.returncode == 0 and "is UP" in ping:
                r = subprocess.run(["sinfo", "-h", "-o", "%T"], env=self.env,
                                   capture_output=True, text=True)
                state = r.stdout.strip()
                if state == "idle":
                    return
            time.sleep(0.25)
        logs = self.logs()
        self.stop()
        print("FAIL: slurmctld and slurmd are running but the node did not become idle "
              "within %d s (scontrol ping: %r; sinfo: %r): %s" % (READY_S, ping, state, logs))
        sys.exit(1)

    def stop(self):
        if "slurmctld" in self.started:
            subprocess.run(["scontrol", "shutdown"], env=self.env, capture_output=True)
        for name in ("slurmd", "slurmctld", "munged"):
            pid_file = self.path(name + ".pid")
            for _ in range(20):
                if not os.path.exists(pid_file):
                    break
                try:
                    pid = int(open(pid_file).read().split()[0])
                    os.kill(pid, 15)
                except (ValueError, IndexError, ProcessLookupError, PermissionError):
                    break
                time.sleep(0.25)


def slurm():
    if os.geteuid() != 0:
        skip("needs root to start munged, slurmctld and slurmd")
    for tool in ("munged", "slurmctld", "slurmd", "sbatch", "sinfo", "scontrol"):
        if not shutil.which(tool):
            skip("%s is not installed (tools/setup.sh installs slurm-wlm and munge)" % tool)
    cluster = Cluster()
    cluster.start()
    try:
        out = os.path.join(TMP, "slurm-out")
        r = subprocess.run(["sbatch", "--wait", "--array=1-3", "--chdir", TMP,
                            os.path.join(ROOT, "tools", "campaign.sbatch"), GTXSIM, SEEDS, out,
                            "--config", SMALL, "-q"], env=cluster.env, capture_output=True,
                           text=True, timeout=120)
        expect(r.returncode == 0, "sbatch --wait: exit %d, %r %r" % (r.returncode, r.stdout,
                                                                    r.stderr))
        shards = sorted(glob.glob(out + "/shard-*"))
        expect(len(shards) == 3, "slurm shards %r" % shards)
        merged_equals_single(shards, "Slurm")
    finally:
        cluster.stop()


for section in SECTIONS:
    globals()[section]()
if failures:
    sys.exit(1)
print("ok:", " ".join(SECTIONS))
