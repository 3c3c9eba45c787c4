// Benchmark inputs from real text shipped by Debian packages (fortunes, wamerican).
#pragma once

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil_bench {

/// All of /usr/share/games/fortunes (package fortunes), English prose and quotes.
inline std::string english_text() {
  const std::string dir = "/usr/share/games/fortunes";
  std::string all;
  if (DIR* d = opendir(dir.c_str())) {
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n[0] == '.' || n.find('.') != std::string::npos) continue;  // skip .dat, .u8
      names.push_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
      std::ifstream in(dir + "/" + n, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      all += s.str();
    }
  }
  if (all.size() < (1u << 20)) throw std::runtime_error("install the 'fortunes' package");
  return all;
}

/// Cut text into messages of about `size` bytes, at spaces.
inline std::vector<std::string> messages(const std::string& text, std::size_t size,
                                         std::size_t max_count) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size() && out.size() < max_count) {
    std::size_t end = std::min(text.size(), pos + size);
    std::size_t sp = text.find(' ', end);
    if (sp == std::string::npos || sp > end + 32) sp = end;
    out.push_back(text.substr(pos, sp - pos));
    pos = sp + 1;
  }
  return out;
}

/// Dictionary words (package wamerican), lowercase ASCII only.
inline std::vector<std::string> dictionary_words() {
  std::ifstream in("/usr/share/dict/american-english");
  std::vector<std::string> words;
  std::string w;
  while (std::getline(in, w)) {
    bool ok = w.size() >= 4 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (ok) words.push_back(w);
  }
  if (words.size() < 20000) throw std::runtime_error("install the 'wamerican' package");
  return words;
}

/// `n` terms: half single dictionary words, half two-word phrases, deterministic.
inline std::vector<std::string> terms(std::size_t n) {
  auto words = dictionary_words();
  std::mt19937 rng(7);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string t = words[rng() % words.size()];
    if (i % 2) t += " " + words[rng() % words.size()];
    out.push_back(t);
  }
  return out;
}

/// A pack TOML with the given terms in 100-term rules.
inline std::string pack_with_terms(const std::vector<std::string>& terms) {
  std::string p = "[pack]\nname = \"bench\"\nversion = \"1\"\n[policy]\nreview = 3.0\nblock = 8.0\n";
  for (std::size_t i = 0; i < terms.size(); i += 100) {
    p += "[[rule]]\nid = \"r" + std::to_string(i / 100) + "\"\ncategory = \"c" +
         std::to_string(i % 7) + "\"\nterms = [";
    for (std::size_t j = i; j < std::min(terms.size(), i + 100); ++j)
      p += (j > i ? ", \"" : "\"") + terms[j] + "\"";
    p += "]\n";
  }
  return p;
}

}  // namespace vigil_bench
