/* A tiny stack-machine interpreter: bytecode with a dense switch (jump table), calls and returns,
 * conditional jumps, and a program that computes primes and a Collatz record by interpretation. */
#include <stdint.h>
#include <stdio.h>

enum op { PUSH, POP, DUP, SWAP, OVER, ADD, SUB, MUL, DIV, MOD, LT, EQ, JMP, JZ, CALL, RET, LOAD, STORE, PRINT, HALT, NOT, ROT };
typedef struct { int32_t stack[256], rstack[64], mem[16]; int sp, rsp; uint32_t steps, trace; } vm_t;

static int run(vm_t *vm, const int32_t *code) {
  int pc = 0;
  for (;;) {
    int32_t op = code[pc++], a, b;
    vm->steps++;
    vm->trace = vm->trace * 31 + (uint32_t)op;
    switch (op) {
    case PUSH: vm->stack[vm->sp++] = code[pc++]; break;
    case POP: vm->sp--; break;
    case DUP: vm->stack[vm->sp] = vm->stack[vm->sp - 1]; vm->sp++; break;
    case SWAP: a = vm->stack[vm->sp - 1]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2]; vm->stack[vm->sp - 2] = a; break;
    case OVER: vm->stack[vm->sp] = vm->stack[vm->sp - 2]; vm->sp++; break;
    case ROT: a = vm->stack[vm->sp - 3]; vm->stack[vm->sp - 3] = vm->stack[vm->sp - 2]; vm->stack[vm->sp - 2] = vm->stack[vm->sp - 1]; vm->stack[vm->sp - 1] = a; break;
    case ADD: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] += b; break;
    case SUB: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] -= b; break;
    case MUL: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] *= b; break;
    case DIV: b = vm->stack[--vm->sp]; if (!b) return -1; vm->stack[vm->sp - 1] /= b; break;
    case MOD: b = vm->stack[--vm->sp]; if (!b) return -1; vm->stack[vm->sp - 1] %= b; break;
    case LT: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] < b; break;
    case EQ: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] == b; break;
    case NOT: vm->stack[vm->sp - 1] = !vm->stack[vm->sp - 1]; break;
    case JMP: pc = code[pc]; break;
    case JZ: a = vm->stack[--vm->sp]; pc = a ? pc + 1 : code[pc]; break;
    case CALL: vm->rstack[vm->rsp++] = pc + 1; pc = code[pc]; break;
    case RET: pc = vm->rstack[--vm->rsp]; break;
    case LOAD: vm->stack[vm->sp++] = vm->mem[code[pc++]]; break;
    case STORE: vm->mem[code[pc++]] = vm->stack[--vm->sp]; break;
    case PRINT: printf("%d ", vm->stack[--vm->sp]); break;
    case HALT: return 0;
    default: return -2;
    }
  }
}

/* A two-pass-free assembler: forward jumps are patched through fixups. */
static int32_t code[256];
static int pc_emit;
static void e(int32_t v) { code[pc_emit++] = v; }
static int here(void) { return pc_emit; }
static int hole(void) { e(0); return pc_emit - 1; }

/* mem[0]=n, mem[1]=d: print the primes below 200 by trial division */
static void assemble_primes(void) {
  pc_emit = 0;
  e(PUSH); e(2); e(STORE); e(0);
  int loop = here();
  e(LOAD); e(0); e(PUSH); e(200); e(LT); e(JZ); int done = hole();
  e(PUSH); e(2); e(STORE); e(1);
  int dloop = here();
  e(LOAD); e(0); e(LOAD); e(1); e(DUP); e(MUL); e(LT); e(NOT); e(JZ); int prime = hole(); /* d*d > n */
  e(LOAD); e(0); e(LOAD); e(1); e(MOD); e(JZ); int composite = hole();
  e(LOAD); e(1); e(PUSH); e(1); e(ADD); e(STORE); e(1); e(JMP); e(dloop);
  code[prime] = here();
  e(LOAD); e(0); e(PRINT);
  code[composite] = here();
  e(LOAD); e(0); e(PUSH); e(1); e(ADD); e(STORE); e(0); e(JMP); e(loop);
  code[done] = here();
  e(HALT);
}

/* mem[0]=n, mem[1]=steps: a subroutine counting Collatz steps, called for n = 1..60 */
static void assemble_collatz(void) {
  pc_emit = 0;
  e(PUSH); e(1); e(STORE); e(2);
  int outer = here();
  e(LOAD); e(2); e(PUSH); e(61); e(LT); e(JZ); int done = hole();
  e(LOAD); e(2); e(STORE); e(0); e(PUSH); e(0); e(STORE); e(1);
  e(CALL); int sub = hole();
  e(LOAD); e(1); e(PRINT);
  e(LOAD); e(2); e(PUSH); e(1); e(ADD); e(STORE); e(2); e(JMP); e(outer);
  code[done] = here();
  e(HALT);
  code[sub] = here();
  int top = here();
  e(LOAD); e(0); e(PUSH); e(1); e(EQ); e(NOT); e(JZ); int ret = hole();
  e(LOAD); e(0); e(PUSH); e(2); e(MOD); e(JZ); int even = hole();
  e(LOAD); e(0); e(PUSH); e(3); e(MUL); e(PUSH); e(1); e(ADD); e(STORE); e(0); e(JMP); int count = hole();
  code[even] = here();
  e(LOAD); e(0); e(PUSH); e(2); e(DIV); e(STORE); e(0);
  code[count] = here();
  e(LOAD); e(1); e(PUSH); e(1); e(ADD); e(STORE); e(1); e(JMP); e(top);
  code[ret] = here();
  e(RET);
}

int main(void) {
  assemble_primes();
  vm_t vm = {0};
  int r = run(&vm, code);
  printf("\nprimes: result %d, %u steps, trace %08x\n", r, vm.steps, vm.trace);
  assemble_collatz();
  vm_t vm2 = {0};
  int r2 = run(&vm2, code);
  printf("\ncollatz: result %d, %u steps, trace %08x\n", r2, vm2.steps, vm2.trace);
  return r | r2;
}
