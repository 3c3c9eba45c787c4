// Multi-index storage: packed ids, locality order (near duplicates stored together) and the
// dense runs a query scans instead of verifying candidates one by one; exact against brute force
// on clustered banks where those runs form.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "vigil/bank/detail/crowded_buckets.hpp"
#include "vigil/bank/detail/dense_runs.hpp"
#include "vigil/bank/detail/locality_order.hpp"
#include "vigil/bank/detail/packed_ids.hpp"
#include "vigil/bank/mih_index.hpp"
#include "mih_test_support.hpp"

namespace {

namespace vh = vigil::hash;
namespace vb = vigil::bank;
using Code = std::array<std::uint64_t, 4>;

Code random_code(std::mt19937_64& rng) { return {rng(), rng(), rng(), rng()}; }

using mih_test::flip;

/// `clusters` centres with `members` variants each (4..31 bits flipped, as re-encoded copies of
/// one image), plus `noise` random codes, shuffled. cluster_of[i] is -1 for noise.
std::vector<Code> clustered_bank(int clusters, int members, int noise, std::mt19937_64& rng,
                                 std::vector<int>* cluster_of = nullptr) {
  std::vector<std::pair<Code, int>> tagged;
  for (int c = 0; c < clusters; ++c) {
    const Code centre = random_code(rng);
    for (int m = 0; m < members; ++m) tagged.push_back({flip(centre, 4 + static_cast<int>(rng() % 28), rng), c});
  }
  for (int i = 0; i < noise; ++i) tagged.push_back({random_code(rng), -1});
  std::shuffle(tagged.begin(), tagged.end(), rng);
  std::vector<Code> codes;
  for (const auto& [code, cluster] : tagged) {
    codes.push_back(code);
    if (cluster_of != nullptr) cluster_of->push_back(cluster);
  }
  return codes;
}

void check_exact(const vb::MihIndex256& index, const std::vector<Code>& codes, std::mt19937_64& rng) {
  for (int radius : {0, 16, 31, 47, 63}) {
    for (int k = 0; k < 12; ++k) {
      const Code q = k % 6 == 5 ? random_code(rng) : flip(codes[rng() % codes.size()], static_cast<int>(rng() % 16), rng);
      const auto got = index.query(q, radius);
      const auto expected = mih_test::brute_force(codes, q, radius);
      CAPTURE(radius);
      CAPTURE(k);
      REQUIRE(got.size() == expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        REQUIRE(got[i].index == expected[i].index);
        REQUIRE(got[i].distance == expected[i].distance);
      }
    }
  }
}

/// One table: the ids of each bucket (ascending), laid out as a build lays them out.
struct Table {
  vb::detail::PackedIds ids;
  vb::detail::BucketStarts starts;

  Table(const std::map<std::uint32_t, std::vector<std::uint32_t>>& buckets, std::size_t indexed) {
    std::vector<std::uint32_t> starts_of(vb::detail::kBuckets + 1, 0);
    std::size_t total = 0;
    for (const auto& [bucket, positions] : buckets) {
      starts_of[bucket + 1] = static_cast<std::uint32_t>(positions.size());
      total += positions.size();
    }
    for (std::size_t b = 0; b < vb::detail::kBuckets; ++b) starts_of[b + 1] += starts_of[b];
    starts.assign(starts_of);
    ids.resize(total, indexed);
    for (const auto& [bucket, positions] : buckets) {
      for (std::size_t k = 0; k < positions.size(); ++k) ids.set(starts_of[bucket] + k, positions[k]);
    }
  }

  std::vector<std::uint32_t> bucket(std::uint32_t b) const {
    const auto [first, last] = starts.range(b);
    std::vector<std::uint32_t> out(last - first);
    ids.copy_to(first, last, out.data());
    return out;
  }
};

}  // namespace

TEST_CASE("mih layout: crowded buckets keep their dense runs and put their leftovers first") {
  std::vector<std::uint32_t> mixed{10, 500};
  for (std::uint32_t p = 600; p < 664; ++p) mixed.push_back(p);  // 64 ids: one dense run
  mixed.push_back(900);
  std::vector<std::uint32_t> spread;
  for (std::uint32_t p = 0; p < 20; ++p) spread.push_back(50 * p);  // crowded, but no run
  Table table({{5, mixed}, {9, spread}, {12, {1, 2, 3}}}, 1000);  // crowded from 16 ids
  vb::detail::CrowdedBuckets crowded;
  crowded.build(table.ids, table.starts, 1000);

  REQUIRE(crowded.buckets() == 1);
  const auto* entry = crowded.find(5);
  REQUIRE(entry != nullptr);
  CHECK(entry->leftovers == 3);
  REQUIRE(entry->runs == 1);
  CHECK(crowded.runs_of(*entry)[0].begin == 600);
  CHECK(crowded.runs_of(*entry)[0].end == 664);
  std::vector<std::uint32_t> reordered{10, 500, 900};  // leftovers, then the run's ids
  for (std::uint32_t p = 600; p < 664; ++p) reordered.push_back(p);
  CHECK(table.bucket(5) == reordered);
  CHECK(crowded.find(9) == nullptr);
  CHECK(table.bucket(9) == spread);  // untouched
  CHECK(crowded.find(12) == nullptr);
  CHECK(crowded.find(6) == nullptr);
  CHECK(crowded.memory_bytes() > 0);
}

TEST_CASE("mih layout: crowded-bucket runs stay within one per 128 indexed codes") {
  std::map<std::uint32_t, std::vector<std::uint32_t>> buckets;
  for (std::uint32_t b = 0; b < 12; ++b) {  // 12 buckets of one 40-id run each
    for (std::uint32_t p = 0; p < 40; ++p) buckets[b].push_back(1000 * b + p);
  }
  Table table(buckets, 1280);  // a budget of 10 runs
  vb::detail::CrowdedBuckets crowded;
  crowded.build(table.ids, table.starts, 1280);
  CHECK(crowded.buckets() == 10);
  CHECK(crowded.find(9) != nullptr);
  CHECK(crowded.find(10) == nullptr);  // past the budget: verified one by one, still exact
}

TEST_CASE("mih layout: ids take 3 bytes below 2^24 codes and 4 bytes from there") {
  vb::detail::PackedIds narrow;
  narrow.resize(5, std::size_t{1} << 24);
  CHECK(narrow.width() == 3);
  const std::uint32_t values[] = {0, 1, 0xABCDEF, 0xFFFFFF, 0x123456};
  for (std::uint32_t i = 0; i < 5; ++i) narrow.set(i, values[i]);
  for (std::uint32_t i = 0; i < 5; ++i) CHECK(narrow[i] == values[i]);  // neighbours untouched
  std::uint32_t out[5] = {};
  CHECK(narrow.copy_to(1, 5, out) == out + 4);
  CHECK(std::equal(out, out + 4, values + 1));

  vb::detail::PackedIds wide;
  wide.resize(3, (std::size_t{1} << 24) + 1);
  CHECK(wide.width() == 4);
  wide.set(0, 0x1000000);
  wide.set(1, 0xFFFFFFFE);
  wide.set(2, 7);
  CHECK(wide[0] == 0x1000000);
  CHECK(wide[1] == 0xFFFFFFFE);
  CHECK(wide.copy_to(0, 3, out) == out + 3);
  CHECK(out[1] == 0xFFFFFFFE);
  CHECK(out[2] == 7);
  CHECK(wide.memory_bytes() >= 12);
}

TEST_CASE("mih layout: near duplicates are stored next to each other") {
  std::mt19937_64 rng(91);
  std::vector<int> cluster_of;
  const auto codes = clustered_bank(30, 400, 4000, rng, &cluster_of);
  const auto histograms = vb::detail::substring_histograms<4>(codes[0].data(), codes.size());
  const auto order = vb::detail::locality_order<4>(codes[0].data(), codes.size(), histograms);

  REQUIRE(order.size() == codes.size());  // a permutation
  CHECK(std::set<std::uint32_t>(order.begin(), order.end()).size() == codes.size());

  // Stretches of consecutive stored codes of one cluster: shuffled, a cluster is ~400 stretches
  // of one or two codes; stored, most of it is one stretch (the groups of its crowded buckets,
  // brought together by their common majority code), and the rest lies in small groups.
  std::vector<int> stretches(30, 0), in_main_stretch(30, 0), run(30, 0);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int c = cluster_of[order[i]];
    if (c < 0) continue;
    if (i == 0 || cluster_of[order[i - 1]] != c) ++stretches[c], run[c] = 0;
    in_main_stretch[c] = std::max(in_main_stretch[c], ++run[c]);
  }
  int in_main_stretches = 0;
  for (int c = 0; c < 30; ++c) {
    CAPTURE(c);
    CHECK(in_main_stretch[c] >= 120);
    CHECK(stretches[c] <= 40);
    in_main_stretches += in_main_stretch[c];
  }
  CHECK(in_main_stretches >= 30 * 260);  // on average 65% of a cluster in one stretch
}

TEST_CASE("mih layout: a bank without clusters keeps its insertion order and no id map") {
  std::mt19937_64 rng(94);
  std::vector<Code> codes;
  for (int i = 0; i < 20000; ++i) codes.push_back(random_code(rng));
  const auto histograms = vb::detail::substring_histograms<4>(codes[0].data(), codes.size());
  CHECK(vb::detail::locality_order<4>(codes[0].data(), codes.size(), histograms).empty());

  vb::MihIndex256 uniform, clustered;
  uniform.add_many(codes);
  std::vector<Code> with_copies = codes;
  for (int i = 0; i < 100; ++i) with_copies.push_back(flip(codes[0], 3, rng));  // crowds codes[0]'s buckets
  clustered.add_many(with_copies);
  // The id map (4 bytes a code) exists only where codes moved.
  CHECK(clustered.memory_bytes() - uniform.memory_bytes() >= 4 * with_copies.size());
}

TEST_CASE("mih layout: dense runs are split from sparse positions, merged and covered by whole blocks") {
  std::vector<std::uint32_t> positions;
  for (std::uint32_t p = 100; p < 400; p += 3) positions.push_back(p);  // dense: gaps of 3
  positions.push_back(1000);                                            // sparse
  positions.push_back(2000);
  for (std::uint32_t p = 5000; p < 5007; ++p) positions.push_back(p);   // 7: too few for a run
  std::vector<vb::detail::PositionRun> runs;
  std::uint32_t* kept_end = vb::detail::split_dense_runs(positions.data(), positions.data() + positions.size(), runs);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].begin == 100);
  CHECK(runs[0].end == 398);
  const std::vector<std::uint32_t> kept(positions.data(), kept_end);
  CHECK(kept == std::vector<std::uint32_t>{1000, 2000, 5000, 5001, 5002, 5003, 5004, 5005, 5006});

  runs.push_back({300, 520});  // overlaps the first
  runs.push_back({520, 530});  // touches it
  runs.push_back({40, 50});
  const auto merged = vb::detail::merge_runs(runs);
  REQUIRE(merged.size() == 2);
  CHECK(merged[0].begin == 40);
  CHECK(merged[0].end == 50);
  CHECK(merged[1].begin == 100);
  CHECK(merged[1].end == 530);

  const vb::detail::RunCover cover(merged);
  CHECK_FALSE(cover.covers(40));  // block [32, 48) is only partly in [40, 50)
  CHECK_FALSE(cover.covers(99));
  CHECK_FALSE(cover.covers(100));  // block [96, 112) starts before the run
  CHECK(cover.covers(112));
  CHECK(cover.covers(527));  // block [512, 528) lies inside
  CHECK_FALSE(cover.covers(528));  // block [528, 544) ends after it
  std::vector<std::uint32_t> candidates{5, 112, 200, 529, 999};
  std::uint32_t* left = cover.drop_covered(candidates.data(), candidates.data() + candidates.size());
  CHECK(std::vector<std::uint32_t>(candidates.data(), left) == std::vector<std::uint32_t>{5, 529, 999});
}

TEST_CASE("mih: clustered 256-bit bank (dense runs) exact against brute force, through adds and rebuild") {
  std::mt19937_64 rng(92);
  auto codes = clustered_bank(40, 500, 6000, rng);
  vb::MihIndex256 index;
  index.add_many(codes);
  for (auto strategy : {vb::MihStrategy::always_probe, vb::MihStrategy::automatic}) {
    index.set_strategy(strategy);
    check_exact(index, codes, rng);
  }
  // New codes (a new cluster and members of old ones) go to the tail, then into the tables.
  index.set_strategy(vb::MihStrategy::always_probe);
  const auto more = clustered_bank(3, 900, 300, rng);
  for (const Code& c : more) {
    codes.push_back(c);
    REQUIRE(index.add(c) == codes.size() - 1);  // ids stay insertion order
  }
  check_exact(index, codes, rng);
  index.rebuild();
  check_exact(index, codes, rng);
}

TEST_CASE("mih: clustered 64-bit bank (SimHash near duplicates) exact against brute force") {
  std::mt19937_64 rng(93);
  std::vector<std::array<std::uint64_t, 1>> codes;
  for (int c = 0; c < 30; ++c) {
    const std::uint64_t centre = rng();
    for (int m = 0; m < 600; ++m) {
      std::uint64_t v = centre;
      for (int f = static_cast<int>(rng() % 6); f > 0; --f) v ^= std::uint64_t{1} << (rng() % 64);
      codes.push_back({v});
    }
  }
  std::shuffle(codes.begin(), codes.end(), rng);
  vb::MihIndex64 index;
  index.add_many(codes);
  index.set_strategy(vb::MihStrategy::always_probe);
  for (int radius : {0, 3, 7, 11}) {
    for (int k = 0; k < 10; ++k) {
      const auto q = codes[rng() % codes.size()];
      const auto expected = mih_test::brute_force(codes, q, radius);
      const auto got = index.query(q, radius);
      REQUIRE(got.size() == expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(got[i].index == expected[i].index);
    }
  }
}
