"""The report's PNG plots (matplotlib, no display). Each figure carries a footer naming the
machine, the command and the date, so a plot copied elsewhere still says where it came from."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

SCAN_PEERS = ["vigil", "hyperscan (C)", "hyperscan (Python)", "pyahocorasick", "ahocorasick-rs",
              "RE2 Set (Python)"]
HAMMING_PEERS = ["vigil MIH", "vigil flat scan", "faiss IndexBinaryMultiHash",
                 "faiss IndexBinaryFlat"]


def _save(fig, path, footer):
    fig.text(0.01, 0.005, footer, fontsize=6, color="#555555", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def scan_throughput(scan, path, footer):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    rows = scan["by_terms"]
    for name in SCAN_PEERS:
        pts = [(r["terms"], r["bytes"] / r[name]["scan_s"] / 1e6) for r in rows if name in r]
        if pts:
            ax.plot(*zip(*pts), marker="o", label=name)
    ax.set(xscale="log", yscale="log", xlabel="terms", ylabel="MB/s (1 KB messages)",
           title="Multi-term matching throughput against the number of terms")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    _save(fig, path, footer)


def scan_latency(scan, path, footer):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    rows = scan["by_size"]
    for name in SCAN_PEERS:
        pts = [(r["bytes"] / r["messages"], r[name]["scan_s"] / r["messages"] * 1e6)
               for r in rows if name in r]
        if pts:
            ax.plot(*zip(*pts), marker="o", label=name)
    ax.set(xscale="log", yscale="log", xlabel="message size (bytes)", ylabel="µs per message",
           title=f"Latency against message size ({scan['size_terms']} terms)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    _save(fig, path, footer)


def hamming(ham, path, footer):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name in HAMMING_PEERS:
        pts = [(r["codes"], r[name]["p50_us"]) for r in ham["rows"] if name in r]
        if pts:
            ax.plot(*zip(*pts), marker="o", label=name)
    ax.set(xscale="log", yscale="log", xlabel="codes in the bank (256-bit)",
           ylabel="µs per query (median)",
           title=f"Hamming range query (radius {ham['radius']}) against bank size, one thread")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    _save(fig, path, footer)


def robustness(pdq, path, footer):
    table = pdq["robustness"]
    names = list(table)
    series = [("vigil", False), ("vigil", True), ("pdqhash", False), ("pdqhash", True)]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    width = 0.2
    x = np.arange(len(names))
    for k, key in enumerate(series):
        ax.bar(x + (k - 1.5) * width, [table[n][key]["recall"] for n in names], width,
               label=f"{key[0]}{' + dihedral' if key[1] else ''}")
    ax.set_xticks(x, names, rotation=60, ha="right", fontsize=7)
    ax.set(ylabel="recall at ≥ 99.99% precision", ylim=(0, 1.05),
           title=f"PDQ robustness per transform ({len(pdq['photos'])} photographs)")
    ax.legend(fontsize=7, ncol=4, loc="lower left")
    ax.grid(True, axis="y", alpha=0.3)
    _save(fig, path, footer)


def distinct(pdq, path, footer):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    bins = np.arange(0, 257, 4)
    for key, label in [(("vigil", False), "vigil"), (("vigil", True), "vigil, least of 8 dihedral")]:
        ax.hist(pdq["distinct"][key], bins=bins, alpha=0.6, label=label)
    ax.axvline(31, color="k", linestyle="--", linewidth=1, label="match distance 31")
    ax.set(xlabel="Hamming distance from an original to another bank entry", ylabel="pairs",
           title="PDQ distance between distinct images")
    ax.legend(fontsize=7)
    _save(fig, path, footer)


def write_all(results, fig_dir, footer):
    """footer(section) gives the footer line of that section's figures."""
    os.makedirs(fig_dir, exist_ok=True)
    made = []
    plots = [("scan", scan_throughput, "scan_throughput.png"), ("scan", scan_latency, "scan_latency.png"),
             ("hamming", hamming, "hamming_query.png"), ("pdq", robustness, "pdq_robustness.png"),
             ("pdq", distinct, "pdq_distinct.png")]
    for key, fn, name in plots:
        if key in results:
            fn(results[key], os.path.join(fig_dir, name), footer(key))
            made.append(name)
    return made
