// disk (mount points from /proc/self/mounts, statvfs) and diskio
// (/proc/diskstats), with Telegraf's tags and fields.
#include <fnmatch.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collect/procfs.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool glob_match_any(const std::vector<std::string>& globs, const std::string& s) {
  for (const auto& g : globs) {
    if (fnmatch(g.c_str(), s.c_str(), 0) == 0) return true;
  }
  return false;
}

// /proc/mounts escapes space, tab, newline and backslash as \ooo.
std::string unescape_mount(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

class DiskInput : public Input {
 public:
  DiskInput(std::vector<std::string> mount_points, std::vector<std::string> ignore_fs)
      : mounts_(host_proc() + "/self/mounts"),
        prefix_(host_mount_prefix()),
        mount_points_(std::move(mount_points)),
        ignore_fs_(std::move(ignore_fs)) {}

  Status gather(Accumulator& acc) override {
    auto text = mounts_.read();
    if (!text.ok()) return text.status();
    struct Mount {
      std::string device, path, fstype, mode;
    };
    std::vector<Mount> mounts;
    TextCursor c(*text);
    std::string_view line;
    while (c.next_line(&line)) {
      std::string_view w[4];
      if (split_words(line, w, 4) != 4) continue;
      if (contains(ignore_fs_, w[2])) continue;
      Mount m{unescape_mount(w[0]), unescape_mount(w[1]), std::string(w[2]), "rw"};
      // The options: "ro" alone or first, or ",ro," inside.
      std::string opts = "," + std::string(w[3]) + ",";
      if (opts.find(",ro,") != std::string::npos) m.mode = "ro";
      // A later mount on the same point hides the earlier one.
      mounts.erase(std::remove_if(mounts.begin(), mounts.end(),
                                  [&](const Mount& x) { return x.path == m.path; }),
                   mounts.end());
      mounts.push_back(std::move(m));
    }
    for (const Mount& m : mounts) {
      std::string path = m.path;
      if (!prefix_.empty() && path.rfind(prefix_, 0) == 0) {
        path = path.substr(prefix_.size());
        if (path.empty() || path[0] != '/') path.insert(0, "/");
      }
      if (!mount_points_.empty() && !contains(mount_points_, path)) continue;
      struct statvfs sv;
      if (::statvfs(m.path.c_str(), &sv) != 0) continue;  // gone, or no permission
      uint64_t bsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
      uint64_t total = sv.f_blocks * bsize;
      if (total == 0) continue;  // procfs, cgroupfs and other dummies
      uint64_t free = sv.f_bavail * bsize;
      uint64_t used = (sv.f_blocks - sv.f_bfree) * bsize;
      double used_percent = 0;
      if (used + free > 0) {
        used_percent = static_cast<double>(used) /
                       (static_cast<double>(used) + static_cast<double>(free)) * 100;
      }
      std::string device = m.device;
      if (device.rfind("/dev/", 0) == 0) device.erase(0, 5);
      acc.add("disk",
              {{"path", path}, {"device", device}, {"fstype", m.fstype}, {"mode", m.mode}},
              {{"total", clamp_i64(total)},
               {"free", clamp_i64(free)},
               {"used", clamp_i64(used)},
               {"used_percent", used_percent},
               {"inodes_total", clamp_i64(sv.f_files)},
               {"inodes_free", clamp_i64(sv.f_ffree)},
               {"inodes_used", clamp_i64(sv.f_files - sv.f_ffree)}});
    }
    return Status();
  }

 private:
  ProcFile mounts_;
  std::string prefix_;
  std::vector<std::string> mount_points_;
  std::vector<std::string> ignore_fs_;
};

constexpr const char* kDiskSample = R"(# Read metrics about disk usage by mount point
[[inputs.disk]]
  ## By default stats will be gathered for all mount points.
  ## Set mount_points will restrict the stats to only the specified mount points.
  # mount_points = ["/"]

  ## Ignore mount points by filesystem type.
  ignore_fs = ["tmpfs", "devtmpfs", "devfs", "iso9660", "overlay", "aufs", "squashfs"]
)";

class DiskIoInput : public Input {
 public:
  DiskIoInput(std::vector<std::string> devices, bool skip_serial)
      : diskstats_(host_proc() + "/diskstats"),
        udev_(host_run() + "/udev/data/b"),
        devices_(std::move(devices)),
        skip_serial_(skip_serial) {}

  Status gather(Accumulator& acc) override {
    auto text = diskstats_.read();
    if (!text.ok()) return text.status();
    TextCursor c(*text);
    std::string_view line;
    while (c.next_line(&line)) {
      std::string_view w[14];
      if (split_words(line, w, 14) < 14) continue;
      std::string name(w[2]);
      if (!devices_.empty() && !glob_match_any(devices_, name)) continue;
      uint64_t v[11];
      bool ok = true;
      for (int i = 0; i < 11; ++i) ok = ok && parse_u64(w[3 + i], &v[i]);
      if (!ok) return Status::corruption(diskstats_.path() + ": bad number for " + name);
      std::vector<Tag> tags = {{"name", name}};
      if (!skip_serial_) tags.push_back({"serial", serial(w[0], w[1])});
      // Fields 4..14 of diskstats: reads, merged, sectors, ms, writes, merged,
      // sectors, ms, in progress, io ms, weighted io ms. Sectors are 512 bytes.
      acc.add("diskio", std::move(tags),
              {{"reads", clamp_i64(v[0])},
               {"writes", clamp_i64(v[4])},
               {"read_bytes", clamp_i64(v[2] * 512)},
               {"write_bytes", clamp_i64(v[6] * 512)},
               {"read_time", clamp_i64(v[3])},
               {"write_time", clamp_i64(v[7])},
               {"io_time", clamp_i64(v[9])},
               {"weighted_io_time", clamp_i64(v[10])},
               {"iops_in_progress", clamp_i64(v[8])},
               {"merged_reads", clamp_i64(v[1])},
               {"merged_writes", clamp_i64(v[5])}});
    }
    return Status();
  }

 private:
  // E:ID_SERIAL= from udev's database, as Telegraf reads it; "unknown" without.
  const std::string& serial(std::string_view major, std::string_view minor) {
    std::string key = std::string(major) + ":" + std::string(minor);
    auto it = serials_.find(key);
    if (it != serials_.end()) return it->second;
    std::string value = "unknown";
    if (read_whole_file(udev_ + key, &buf_).ok()) {
      TextCursor c(buf_);
      std::string_view line;
      while (c.next_line(&line)) {
        if (line.rfind("E:ID_SERIAL=", 0) == 0) {
          value = std::string(line.substr(12));
          break;
        }
      }
    }
    return serials_.emplace(std::move(key), std::move(value)).first->second;
  }

  ProcFile diskstats_;
  std::string udev_;
  std::vector<std::string> devices_;
  bool skip_serial_;
  std::map<std::string, std::string> serials_;  // looked up once per device
  std::string buf_;
};

constexpr const char* kDiskIoSample = R"(# Read metrics about disk IO by device
[[inputs.diskio]]
  ## By default, telegraf will gather stats for all devices including
  ## disk partitions.
  ## Setting devices will restrict the stats to the specified devices.
  # devices = ["sda", "sdb", "vd*"]
  ## Uncomment the following line if you need disk serial numbers.
  # skip_serial_number = false
)";

}  // namespace

void add_disk_inputs(std::vector<InputInfo>* out) {
  InputInfo disk;
  disk.name = "disk";
  disk.description = "Read metrics about disk usage by mount point";
  disk.sample_config = kDiskSample;
  disk.default_input = true;
  disk.create = [](const Options& o) -> Result<std::unique_ptr<Input>> {
    std::vector<std::string> mount_points, ignore_fs;
    TSD_ASSIGN_OPT(mount_points, o.get_strings("mount_points", {}));
    TSD_ASSIGN_OPT(ignore_fs, o.get_strings("ignore_fs", {"tmpfs", "devtmpfs", "devfs", "iso9660",
                                                           "overlay", "aufs", "squashfs"}));
    return std::unique_ptr<Input>(new DiskInput(std::move(mount_points), std::move(ignore_fs)));
  };
  out->push_back(std::move(disk));

  InputInfo io;
  io.name = "diskio";
  io.description = "Read metrics about disk IO by device";
  io.sample_config = kDiskIoSample;
  io.default_input = true;
  io.create = [](const Options& o) -> Result<std::unique_ptr<Input>> {
    std::vector<std::string> devices;
    bool skip_serial;
    TSD_ASSIGN_OPT(devices, o.get_strings("devices", {}));
    TSD_ASSIGN_OPT(skip_serial, o.get_bool("skip_serial_number", false));
    return std::unique_ptr<Input>(new DiskIoInput(std::move(devices), skip_serial));
  };
  out->push_back(std::move(io));
}

}  // namespace tsd::collect
