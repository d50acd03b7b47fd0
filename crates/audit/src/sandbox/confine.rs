//! What a model-runner child does to itself before it touches the model:
//! resource limits (memory, CPU time, file size, core dumps), then Landlock
//! (read the model file and the libraries already mapped, nothing else; no
//! TCP) and a seccomp filter (no sockets, no exec, no new processes, no
//! ptrace or namespace tricks). Both set `no_new_privs`.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use landlock::{
    ABI, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus,
    path_beneath_rules,
};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

use super::SandboxLimits;

/// Applies the memory, CPU-time, file-size and core-dump limits.
pub fn apply_limits(limits: &SandboxLimits) -> Result<(), String> {
    let memory = limits.memory_mib.saturating_mul(1024 * 1024);
    set_limit(libc::RLIMIT_DATA, memory, memory)?;
    set_limit(
        libc::RLIMIT_CPU,
        limits.cpu_seconds,
        limits.cpu_seconds.saturating_add(2),
    )?;
    set_limit(libc::RLIMIT_FSIZE, 0, 0)?;
    set_limit(libc::RLIMIT_CORE, 0, 0)
}

fn set_limit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> Result<(), String> {
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit reads the struct we pass and touches no other memory.
    let result = unsafe { libc::setrlimit(resource, &limit) };
    if result == 0 {
        Ok(())
    } else {
        Err(format!(
            "setrlimit({resource}): {}",
            std::io::Error::last_os_error()
        ))
    }
}

/// Restricts the calling thread (and the threads it starts later) with
/// Landlock and seccomp. Call it before any other thread exists.
pub fn confine(model: &Path, cuda: bool) -> Result<(), String> {
    landlock(model, cuda)?;
    seccomp()
}

/// Folders of the shared libraries this process has mapped (libtorch and
/// its dependencies), which libtorch may still `dlopen` from.
fn library_folders() -> BTreeSet<PathBuf> {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    maps.lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .filter(|path| path.starts_with('/') && path.contains(".so"))
        .filter_map(|path| Path::new(path).parent().map(Path::to_path_buf))
        .collect()
}

fn landlock(model: &Path, cuda: bool) -> Result<(), String> {
    let abi = ABI::V5;
    let read = AccessFs::from_read(abi);
    let mut readable: Vec<PathBuf> = library_folders().into_iter().collect();
    readable.push(model.to_path_buf());
    readable.extend(
        ["/proc/cpuinfo", "/sys/devices/system/cpu"]
            .iter()
            .map(PathBuf::from),
    );
    let mut writable: Vec<PathBuf> = Vec::new();
    if cuda {
        readable.extend(["/sys", "/proc/driver"].iter().map(PathBuf::from));
        writable.push(PathBuf::from("/dev"));
    }
    let fail = |e: landlock::RulesetError| format!("Landlock: {e}");
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .map_err(fail)?
        .handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp)
        .map_err(fail)?
        .create()
        .map_err(fail)?
        .add_rules(path_beneath_rules(readable, read))
        .map_err(fail)?
        .add_rules(path_beneath_rules(writable, AccessFs::from_all(abi)))
        .map_err(fail)?
        .restrict_self()
        .map_err(fail)?;
    match status.ruleset {
        RulesetStatus::NotEnforced => {
            Err("Landlock is not available in this kernel (Linux 5.13 or later with Landlock enabled is needed)".into())
        }
        RulesetStatus::FullyEnforced | RulesetStatus::PartiallyEnforced => Ok(()),
    }
}

/// System calls a model has no business making; each answers `EPERM`.
const DENIED: &[libc::c_long] = &[
    libc::SYS_socket,
    libc::SYS_socketpair,
    libc::SYS_connect,
    libc::SYS_bind,
    libc::SYS_listen,
    libc::SYS_accept,
    libc::SYS_accept4,
    libc::SYS_execve,
    libc::SYS_execveat,
    libc::SYS_fork,
    libc::SYS_vfork,
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_chroot,
    libc::SYS_pivot_root,
    libc::SYS_bpf,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_userfaultfd,
    libc::SYS_perf_event_open,
    libc::SYS_kexec_load,
    libc::SYS_init_module,
    libc::SYS_finit_module,
];

fn seccomp() -> Result<(), String> {
    let fail = |e: seccompiler::BackendError| format!("seccomp: {e}");
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| format!("seccomp: {e}"))?;
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> =
        DENIED.iter().map(|&call| (call, Vec::new())).collect();
    // clone without CLONE_THREAD makes a process; threads stay allowed.
    let new_process = SeccompCondition::new(
        0,
        SeccompCmpArgLen::Qword,
        SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64),
        0,
    )
    .map_err(fail)?;
    rules.insert(
        libc::SYS_clone,
        vec![SeccompRule::new(vec![new_process]).map_err(fail)?],
    );
    let denied = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(fail)?;
    // clone3 hides its flags in memory a filter cannot read: ENOSYS makes
    // glibc fall back to clone, which the filter above checks.
    let clone3 = SeccompFilter::new(
        BTreeMap::from([(libc::SYS_clone3, Vec::new())]),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(fail)?;
    for filter in [denied, clone3] {
        let program: BpfProgram = filter.try_into().map_err(fail)?;
        seccompiler::apply_filter(&program).map_err(|e| format!("seccomp: {e}"))?;
    }
    Ok(())
}
