package dev.vigil;

import java.util.List;

/**
 * The result of a {@link Scanner} scan or a {@link Bank#query}: the rules' verdict with the
 * bank hits (a plain immutable value).
 *
 * @param decision the decision from the rules and the banks' actions
 * @param verdict the rules' part (score, categories, hits; its decision equals decision)
 * @param banksChecked banks were consulted (the JSON then has "bank_hits")
 * @param bankHits per signal, nearest first, then allow-list hits
 */
public record ScanVerdict(Decision decision, Verdict verdict, boolean banksChecked, List<BankHit> bankHits) {}
