//! Each artifact as a user downloads it: the zip, the checksums, and the
//! executable's headers for its platform.

use crate::*;
use object::read::elf::{Dyn, ElfFile64, FileHeader, ProgramHeader};
use object::read::macho::{MachHeader, MachOFile64};
use object::read::pe::{ImageNtHeaders, ImageOptionalHeader, PeFile64};
use object::{Endianness, LittleEndian as LE};
use sha2::Digest;

#[test]
fn every_zip_holds_one_executable_named_for_the_version_with_mode_0755() {
    for platform in PLATFORMS {
        let m = members(platform);
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        let want = if platform.starts_with("windows") {
            format!("terraform-provider-exotel_v{VERSION}.exe")
        } else {
            format!("terraform-provider-exotel_v{VERSION}")
        };
        assert_eq!(names, vec![want.as_str()], "{platform}");
        assert_eq!(m[0].mode.map(|m| m & 0o777), Some(0o755), "{platform}: mode");
        eprintln!("{platform}: {} bytes unpacked", m[0].bytes.len());
    }
}

#[test]
fn sha256sums_lists_every_zip_and_the_manifest_and_matches_them() {
    let dir = release_dir();
    let sums = std::fs::read_to_string(dir.join(format!("terraform-provider-exotel_{VERSION}_SHA256SUMS"))).unwrap();
    let manifest = format!("terraform-provider-exotel_{VERSION}_manifest.json");
    let mut want: Vec<String> = PLATFORMS.iter().map(|p| zip_name(p)).chain([manifest.clone()]).collect();
    want.sort();
    let listed: Vec<&str> = sums.lines().filter_map(|l| l.split_once("  ").map(|(_, f)| f)).collect();
    assert_eq!(listed, want, "{sums}");
    for line in sums.lines() {
        let (sum, file) = line.split_once("  ").expect("`<sha256>  <file>`");
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(sum, hex::encode(sha2::Sha256::digest(&bytes)), "{file}");
    }
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join(&manifest)).unwrap()).unwrap();
    assert_eq!(m, serde_json::json!({ "version": 1, "metadata": { "protocol_versions": ["6.0"] } }));
}

/// ELF facts: machine, interpreter, needed libraries.
fn elf(bytes: &[u8]) -> (u16, Option<String>, Vec<String>) {
    let f = ElfFile64::<Endianness>::parse(bytes).expect("a 64-bit ELF");
    let (endian, header) = (f.endian(), f.elf_header());
    let mut interp = None;
    for ph in f.elf_program_headers() {
        if let Some(i) = ph.interpreter(endian, bytes).expect("PT_INTERP") {
            interp = Some(String::from_utf8_lossy(i).into_owned());
        }
    }
    let mut needed = Vec::new();
    let sections = f.elf_section_table();
    if let Some((entries, link)) = sections.dynamic(endian, bytes).expect("dynamic section") {
        let strings = sections.strings(endian, bytes, link).expect("dynamic strings");
        for d in entries {
            if d.d_tag(endian) == u64::from(object::elf::DT_NEEDED) {
                needed.push(String::from_utf8_lossy(d.string(endian, strings).expect("DT_NEEDED")).into_owned());
            }
        }
    }
    (header.e_machine(endian), interp, needed)
}

#[test]
fn linux_builds_are_static_elf_for_their_architecture() {
    for (platform, machine) in [("linux_amd64", object::elf::EM_X86_64), ("linux_arm64", object::elf::EM_AARCH64)] {
        let (m, interp, needed) = elf(&executable(platform));
        assert_eq!(m, machine, "{platform}: machine");
        // No dynamic loader and no shared libraries: runs on any distribution,
        // whatever its C library.
        assert_eq!(interp, None, "{platform}: interpreter");
        assert!(needed.is_empty(), "{platform}: needs {needed:?}");
    }
}

#[test]
fn freebsd_build_needs_only_base_system_libraries() {
    let (m, interp, needed) = elf(&executable("freebsd_amd64"));
    assert_eq!(m, object::elf::EM_X86_64);
    assert_eq!(interp.as_deref(), Some("/libexec/ld-elf.so.1"));
    let base =
        ["libc.so.7", "libthr.so.3", "libm.so.5", "libgcc_s.so.1", "libexecinfo.so.1", "libutil.so.9", "librt.so.1"];
    for lib in &needed {
        assert!(base.contains(&lib.as_str()), "freebsd_amd64 needs {lib}, not part of FreeBSD's base system");
    }
    eprintln!("freebsd_amd64 needs {needed:?}");
}

#[test]
fn macos_builds_are_mach_o_for_their_architecture_and_link_only_system_libraries() {
    for (platform, cpu) in
        [("darwin_amd64", object::macho::CPU_TYPE_X86_64), ("darwin_arm64", object::macho::CPU_TYPE_ARM64)]
    {
        let bytes = executable(platform);
        let f = MachOFile64::<Endianness>::parse(&*bytes).expect("a 64-bit Mach-O");
        let (endian, header) = (f.endian(), f.macho_header());
        assert_eq!(header.cputype(endian), cpu, "{platform}: CPU type");
        assert_eq!(header.filetype(endian), object::macho::MH_EXECUTE, "{platform}: an executable");
        let (mut minos, mut dylibs, mut signature, mut uuid) = (None, Vec::new(), None, None);
        let mut commands = f.macho_load_commands().expect("load commands");
        while let Some(cmd) = commands.next().expect("load command") {
            if cmd.cmd() == object::macho::LC_CODE_SIGNATURE
                && let object::read::macho::LoadCommandVariant::LinkeditData(l) = cmd.variant().expect("load command")
            {
                signature = Some((l.dataoff.get(endian) as usize, l.datasize.get(endian) as usize));
            }
            if let Some(u) = cmd.uuid().expect("LC_UUID") {
                uuid = Some(u.uuid);
            }
            if let Some(b) = cmd.build_version().expect("LC_BUILD_VERSION") {
                assert_eq!(b.platform.get(endian), object::macho::PLATFORM_MACOS, "{platform}: built for macOS");
                minos = Some(b.minos.get(endian));
            }
            if let object::read::macho::LoadCommandVariant::VersionMin(v) = cmd.variant().expect("load command") {
                minos = Some(v.version.get(endian));
            }
            if let Some(d) = cmd.dylib().expect("dylib command") {
                dylibs
                    .push(String::from_utf8_lossy(cmd.string(endian, d.dylib.name).expect("dylib name")).into_owned());
            }
        }
        let minos = minos.unwrap_or_else(|| panic!("{platform}: no minimum macOS version"));
        let (major, minor) = (minos >> 16, (minos >> 8) & 0xff);
        // macOS 11 (Big Sur) is the oldest Apple silicon release and the
        // oldest macOS Go 1.23+ (Terraform itself) runs on.
        assert!((major, minor) <= (11, 0), "{platform}: needs macOS {major}.{minor}");
        assert!(!dylibs.is_empty(), "{platform}: links libSystem at least");
        for lib in &dylibs {
            assert!(
                lib.starts_with("/usr/lib/") || lib.starts_with("/System/Library/Frameworks/"),
                "{platform}: links {lib}, not part of macOS"
            );
        }
        // macOS 15 wants an LC_UUID (e.g. for its local network privacy prompt).
        assert!(uuid.is_some_and(|u| u != [0; 16]), "{platform}: no LC_UUID");
        // Apple silicon kills an unsigned process: the linker signs ad hoc,
        // and rustc strips afterwards, so the page hashes must still match.
        let pages = match signature {
            Some((off, size)) => code_signature_pages(platform, &bytes, off, size),
            None => {
                assert_ne!(platform, "darwin_arm64", "darwin_arm64: no code signature");
                0
            }
        };
        let signed = if pages > 0 { format!("ad hoc signature over {pages} pages matches") } else { "unsigned".into() };
        eprintln!("{platform}: macOS {major}.{minor}+, links {dylibs:?}, {signed}");
    }
}

/// Checks an ad hoc code signature (`LC_CODE_SIGNATURE` at `off`, `size`
/// bytes): a SuperBlob holding a CodeDirectory whose SHA-256 page hashes
/// cover the whole file before the signature. Returns the page count.
fn code_signature_pages(platform: &str, file: &[u8], off: usize, size: usize) -> usize {
    let be = |b: &[u8], at: usize| u32::from_be_bytes(b[at..at + 4].try_into().expect("4 bytes")) as usize;
    let blob = file.get(off..off + size).unwrap_or_else(|| panic!("{platform}: code signature outside the file"));
    assert_eq!(be(blob, 0), 0xfade_0cc0, "{platform}: code signature SuperBlob magic");
    let directory = (0..be(blob, 8))
        .map(|i| be(blob, 12 + 8 * i + 4))
        .find(|&at| be(blob, at) == 0xfade_0c02)
        .unwrap_or_else(|| panic!("{platform}: no CodeDirectory in the code signature"));
    let cd = &blob[directory..];
    let (hashes, slots, limit) = (be(cd, 16), be(cd, 28), be(cd, 32));
    let (hash_size, hash_type, page) = (cd[36] as usize, cd[37], 1usize << cd[39]);
    assert_eq!((hash_type, hash_size), (2, 32), "{platform}: SHA-256 page hashes");
    assert_eq!(limit, off, "{platform}: the signature covers every byte before it");
    assert_eq!(slots, limit.div_ceil(page), "{platform}: one hash per page");
    for i in 0..slots {
        let got = sha2::Sha256::digest(&file[i * page..((i + 1) * page).min(limit)]);
        let want = &cd[hashes + i * hash_size..hashes + (i + 1) * hash_size];
        assert!(got.as_slice() == want, "{platform}: page {i} does not match its code signature hash");
    }
    slots
}

/// DLLs every Windows 10+ installation has (system32, API sets).
fn windows_system_dll(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("api-ms-win-")
        || [
            "kernel32.dll",
            "ntdll.dll",
            "advapi32.dll",
            "ws2_32.dll",
            "bcrypt.dll",
            "bcryptprimitives.dll",
            "userenv.dll",
            "msvcrt.dll",
            "ucrtbase.dll",
            "secur32.dll",
            "crypt32.dll",
            "ncrypt.dll",
            "shell32.dll",
            "ole32.dll",
            "oleaut32.dll",
            "user32.dll",
            "iphlpapi.dll",
            "synchronization.dll",
        ]
        .contains(&n.as_str())
}

#[test]
fn windows_build_is_a_console_pe_that_imports_only_system_dlls() {
    let bytes = executable("windows_amd64");
    let f = PeFile64::parse(&*bytes).expect("a PE32+ executable");
    let nt = f.nt_headers();
    assert_eq!(nt.file_header().machine.get(LE), object::pe::IMAGE_FILE_MACHINE_AMD64);
    // Terraform reads the handshake from stdout: a console program.
    assert_eq!(nt.optional_header().subsystem(), object::pe::IMAGE_SUBSYSTEM_WINDOWS_CUI);
    let mut dlls = Vec::new();
    if let Some(table) = f.import_table().expect("import table") {
        let mut descriptors = table.descriptors().expect("import descriptors");
        while let Some(d) = descriptors.next().expect("import descriptor") {
            dlls.push(String::from_utf8_lossy(table.name(d.name.get(LE)).expect("DLL name")).into_owned());
        }
    }
    let delay_loads = f.data_directories().delay_load_import_table(&*bytes, &f.section_table());
    if let Some(table) = delay_loads.expect("delay-load import table") {
        let mut descriptors = table.descriptors().expect("delay-load descriptors");
        while let Some(d) = descriptors.next().expect("delay-load descriptor") {
            dlls.push(String::from_utf8_lossy(table.name(d.dll_name_rva.get(LE)).expect("DLL name")).into_owned());
        }
    }
    assert!(dlls.iter().any(|d| d.eq_ignore_ascii_case("kernel32.dll")), "{dlls:?}");
    for dll in &dlls {
        assert!(windows_system_dll(dll), "windows_amd64 imports {dll}, which Windows does not ship");
    }
    eprintln!("windows_amd64 imports {dlls:?}");
}
