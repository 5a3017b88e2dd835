/**
 * Access checks against a translation (ARM ARM B3.7, B3.12): the domain's DACR field for short
 * descriptors (no access and the reserved value 0b10 give a domain fault; a manager domain is not
 * checked against the descriptor at all, XN included; a client domain is), then the permissions the
 * walk normalised, with SCTLR.WXN (writable regions are execute-never) and SCTLR.UWXN (regions PL0
 * can write are execute-never at PL1).
 */
import { SCTLR_UWXN, SCTLR_WXN } from "../cp15/state.js";
import { ACCESS_FETCH, ACCESS_WRITE } from "../memory.js";
import { FAULT_DOMAIN, FAULT_PERMISSION } from "../stop.js";
import { INFO_DOMAIN_SHIFT, INFO_PERMS } from "./tlb.js";
import {
  DOMAIN_NONE, PERM_ALL, PERM_PL0_R, PERM_PL0_W, PERM_PL0_X, PERM_PL1_R, PERM_PL1_W, PERM_PL1_X,
} from "./walk.js";

/** -1 for a domain fault, else the PERM_* bits that apply (for a TLB `info` word). */
export function effectivePerms(info: number, dacr: number, sctlr: number): number {
  const domain = (info >>> INFO_DOMAIN_SHIFT) & 31;
  if (domain !== DOMAIN_NONE) {
    const d = (dacr >>> (2 * domain)) & 3;
    if (d === 3) return PERM_ALL;
    if (d !== 1) return -1;
  }
  let p = info & INFO_PERMS;
  if (sctlr & SCTLR_WXN) {
    if (p & PERM_PL1_W) p &= ~PERM_PL1_X;
    if (p & PERM_PL0_W) p &= ~PERM_PL0_X;
  }
  if (sctlr & SCTLR_UWXN && p & PERM_PL0_W) p &= ~PERM_PL1_X;
  return p;
}

/** The PERM_* bit an access needs. */
export function neededPerm(access: number, user: boolean): number {
  if (access === ACCESS_FETCH) return user ? PERM_PL0_X : PERM_PL1_X;
  if (access === ACCESS_WRITE) return user ? PERM_PL0_W : PERM_PL1_W;
  return user ? PERM_PL0_R : PERM_PL1_R;
}

/** 0 when the access is allowed, else FAULT_DOMAIN or FAULT_PERMISSION. */
export function accessFault(info: number, dacr: number, sctlr: number, access: number, user: boolean): number {
  const p = effectivePerms(info, dacr, sctlr);
  if (p < 0) return FAULT_DOMAIN;
  return (p & neededPerm(access, user)) !== 0 ? 0 : FAULT_PERMISSION;
}
