/**
 * A VM (struct kvm) and its fd: vCPU creation with the limit rows of reference kvm-arm32-abi.md §3.2,
 * memory slots, dirty logging, KVM_ENABLE_CAP and KVM_CHECK_EXTENSION on the VM fd
 * (virt/kvm/kvm_main.c kvm_vm_ioctl, v5.4). VM ioctls the generic code does not own go to the
 * architecture; unknown ones are -EINVAL.
 *
 * The eventfd family is generic too: KVM_IOEVENTFD and KVM_(UN)REGISTER_COALESCED_MMIO on the VM's
 * I/O bus (io-bus.ts), KVM_IRQFD and KVM_SET_GSI_ROUTING (irqfd.ts, irqchip.ts) when the architecture
 * has an in-kernel irqchip for them (KvmArchVm.irqchip).
 *
 * Lifetime: the VM fd holds one reference, each vCPU fd and device fd another (kvm_get_kvm /
 * kvm_put_kvm). Closing the VM fd while vCPU fds are open keeps the VM alive; the last put destroys it.
 * Closing the VM fd also shuts every irqfd down (kvm_vm_release → kvm_irqfd_release).
 * vCPUs themselves live as long as the VM: closing a vCPU fd does not free its id.
 *
 * The coalesced-MMIO ring is the VM's, and it *is* page 1 of the first vCPU's mmap area: the VM
 * allocates that area (`firstVcpuArea`) and vCPU index 0 adopts it; later vCPUs' page 1 is a copy
 * kept up to date by the producer (docs/kvm-run-mapping.md).
 */
import { EEXIST, EFAULT, EINVAL } from "../abi/errno.js";
import { KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 } from "../abi/capabilities.js";
import { kvm_userspace_memory_region } from "../abi/structs/memory.js";
import { kvm_enable_cap } from "../abi/structs/vcpu.js";
import type { HostMapping } from "../abi/syscalls.js";
import type { KvmArchVm } from "./arch.js";
import { createDevice, type KvmDevice } from "./device.js";
import { clearDirtyLog, enableManualDirtyLogProtect, getDirtyLog, type DirtyLogState } from "./dirty-log.js";
import type { KvmFile } from "./fd-table.js";
import { GuestMemory } from "./guest-memory.js";
import type { KvmKernel } from "./kernel.js";
import { Memslots } from "./memslots.js";
import { checkExtension } from "./check-extension.js";
import { viewOf, type IoctlArg } from "./uaccess.js";
import { KvmVcpu, VcpuFile, notMappable, KVM_VCPU_MMAP_SIZE } from "./vcpu.js";
import { HOST_PAGE_SIZE } from "./host-memory.js";
import { KvmIoBus } from "./io-bus.js";
import { KvmIrqRouting } from "./irqchip.js";
import { KvmIrqfds } from "./irqfd.js";

export class KvmVm implements DirtyLogState {
  readonly slots: Memslots;
  readonly memory: GuestMemory;
  /** vCPUs by index (creation order). */
  readonly vcpus: KvmVcpu[] = [];
  readonly devices: KvmDevice[] = [];
  /** Set by createVm right after construction (kvm_arch_init_vm). */
  arch!: KvmArchVm;
  manualDirtyLogProtect = false;
  /** The first vCPU's kvm_run area, allocated with the VM: its page 1 is the coalesced-MMIO ring. */
  readonly firstVcpuArea = new Uint8Array(new SharedArrayBuffer(KVM_VCPU_MMAP_SIZE));
  /** ioeventfds and coalesced-MMIO zones (kvm->buses, kvm->ioeventfds, kvm->coalesced_zones). */
  readonly ioBus: KvmIoBus;
  private routing: KvmIrqRouting | null = null;
  private irqfdList: KvmIrqfds | null = null;
  /** kvm->created_vcpus: counts creations in progress or done (never decremented on success). */
  private createdVcpus = 0;
  private refs = 1;
  private destroyed = false;

  constructor(readonly kernel: KvmKernel) {
    const a = kernel.arch;
    this.slots = new Memslots({
      userMemSlots: a.userMemSlots,
      validFlags: a.memFlags,
      longBits: a.longBits,
      taskSize: a.taskSize,
      prepareMemoryRegion: (slot, change) => this.arch.prepareMemoryRegion(slot, change),
    });
    this.memory = new GuestMemory(this.slots, kernel.mem, a.userMemSlots);
    this.ioBus = new KvmIoBus(kernel.fds, this.firstVcpuArea.subarray(HOST_PAGE_SIZE), (bus) => this.arch?.ioBusDevices?.(bus) ?? 0);
    this.memory.bus = this.ioBus;
  }

  /** kvm->irq_routing, when the architecture has an in-kernel irqchip (null otherwise). */
  get irqRouting(): KvmIrqRouting | null {
    const chip = this.arch?.irqchip;
    if (chip === undefined) return null;
    this.routing ??= new KvmIrqRouting(chip);
    return this.routing;
  }

  /** kvm->irqfds (null without an in-kernel irqchip). */
  get irqfds(): KvmIrqfds | null {
    const routing = this.irqRouting;
    if (routing === null) return null;
    this.irqfdList ??= new KvmIrqfds(routing, this.kernel.fds);
    return this.irqfdList;
  }

  get userMemSlots(): number {
    return this.kernel.arch.userMemSlots;
  }

  get longBits(): 32 | 64 {
    return this.kernel.arch.longBits;
  }

  /** True until the last reference is dropped. */
  get alive(): boolean {
    return !this.destroyed;
  }

  /** kvm_get_kvm. */
  get(): void {
    this.refs++;
  }

  /** kvm_put_kvm: the last put destroys the VM. */
  put(): void {
    if (--this.refs > 0 || this.destroyed) return;
    this.destroyed = true;
    for (const v of this.vcpus) v.arch.destroy();
    for (const d of this.devices) d.destroy();
    this.arch?.destroy();
    this.memory.detach();
  }

  /** The vCPU with this id, or undefined (kvm_get_vcpu_by_id). */
  vcpuById(id: number): KvmVcpu | undefined {
    return this.vcpus.find((v) => v.id === id);
  }

  /** KVM_CREATE_VCPU (kvm_vm_ioctl_create_vcpu): a vCPU fd or a negative errno. */
  createVcpu(idArg: bigint): number {
    const a = this.kernel.arch;
    if (idArg >= BigInt(a.maxVcpuId)) return -EINVAL;
    const id = Number(idArg);
    if (this.createdVcpus === a.maxVcpus) return -EINVAL;
    this.createdVcpus++;
    const pre = this.arch.vcpuPrecreate(id);
    if (pre < 0) {
      this.createdVcpus--;
      return pre;
    }
    if (this.vcpuById(id) !== undefined) {
      this.createdVcpus--;
      return -EEXIST;
    }
    const vcpu = new KvmVcpu(this, id, this.vcpus.length);
    const archVcpu = this.arch.createVcpu(vcpu);
    if (typeof archVcpu === "number") {
      this.createdVcpus--;
      return archVcpu;
    }
    vcpu.arch = archVcpu;
    this.get();
    const fd = this.kernel.fds.install(new VcpuFile(vcpu));
    if (fd < 0) {
      this.put();
      archVcpu.destroy();
      this.createdVcpus--;
      return fd;
    }
    this.vcpus.push(vcpu);
    if (vcpu.index > 0) this.ioBus.coalesced.addMirror(vcpu.runArea.subarray(HOST_PAGE_SIZE));
    return fd;
  }
}

export class VmFile implements KvmFile {
  readonly kind = "vm" as const;

  constructor(readonly vm: KvmVm) {}

  ioctl(request: number, arg: IoctlArg): number {
    const vm = this.vm;
    const a = vm.kernel.arch;
    const R = a.requests;
    switch (request) {
      case R.KVM_CREATE_VCPU:
        return vm.createVcpu(arg.value);
      case R.KVM_SET_USER_MEMORY_REGION: {
        const bytes = arg.copyIn(kvm_userspace_memory_region.size);
        if (bytes === null) return -EFAULT;
        return vm.slots.set(kvm_userspace_memory_region.read(viewOf(bytes)));
      }
      case R.KVM_GET_DIRTY_LOG:
        return getDirtyLog(vm, arg);
      case R.KVM_ENABLE_CAP: {
        const bytes = arg.copyIn(kvm_enable_cap.size);
        if (bytes === null) return -EFAULT;
        const cap = kvm_enable_cap.read(viewOf(bytes));
        if (cap.cap === KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 && a.dirtyLogManualProtect) {
          return enableManualDirtyLogProtect(vm, cap.flags, cap.args);
        }
        return vm.arch.enableCap(cap.cap, cap.flags, cap.args);
      }
      case R.KVM_CHECK_EXTENSION:
        return checkExtension(vm.kernel, arg.value, vm);
      case R.KVM_CREATE_DEVICE:
        return createDevice(vm, arg, (type) => vm.arch.deviceOps(type));
      case R.KVM_IOEVENTFD:
        return vm.ioBus.ioeventfds.ioctl(arg);
      case R.KVM_REGISTER_COALESCED_MMIO:
        return vm.ioBus.coalesced.ioctl(arg, true);
      case R.KVM_UNREGISTER_COALESCED_MMIO:
        return vm.ioBus.coalesced.ioctl(arg, false);
    }
    if (request === R.KVM_IRQFD && vm.irqfds !== null) return vm.irqfds.ioctl(arg);
    if (request === R.KVM_SET_GSI_ROUTING && vm.irqRouting !== null) return vm.irqRouting.ioctlSetGsiRouting(arg);
    if (request === R.KVM_CLEAR_DIRTY_LOG && a.dirtyLogManualProtect) return clearDirtyLog(vm, arg);
    return vm.arch.ioctl(request, arg) ?? -EINVAL;
  }

  mmap(): HostMapping | number {
    return notMappable();
  }

  release(): void {
    this.vm.irqfds?.release();
    this.vm.put();
  }
}
