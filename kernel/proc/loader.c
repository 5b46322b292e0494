/*
 * loader.c: the program loader (see loader.h).
 *
 * The new address space is built on the side - regions mapped with their
 * frames reserved, file bytes and the initial stack written through
 * vm_write - so exec can fail at any step and leave the old image intact.
 */
#include "proc/loader.h"
#include "proc/elf.h"
#include "arch/x86/seg.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "dev/ramdisk.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/kmap.h"
#include "mm/layout.h"
#include "mm/vm.h"

#define STACK_SPARE 8192u	/* zeroed stack below the initial %esp */

static const enum vm_kind kinds[] = {
	[EK_TEXT] = VM_TEXT, [EK_RODATA] = VM_RODATA, [EK_DATA] = VM_DATA, [EK_BSS] = VM_BSS,
};

/* Bytes the top of the stack needs: strings, argv[], and five words. */
static uint32_t stack_bytes(int argc, char *const argv[])
{
	uint32_t n = 0;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	n = (n + 3) & ~3u;
	return n + (argc + 1) * 4 + 5 * 4;
}

/*
 * Lay out the initial stack in buf, which will sit at [esp, STACK_HIGH+1):
 * strings at the top, then argv[] (NULL-terminated), then stack_low,
 * stack_high, argv, argc and a zero return address at esp
 * (docs/abi/image.md §4.2).
 */
static void build_stack(uint8_t *buf, uint32_t esp, uint32_t stack_low, int argc,
			char *const argv[])
{
	uint32_t top = USER_STACK_HIGH + 1;
	uint32_t *w = (uint32_t *)buf;
	uint32_t str = top;
	uint32_t argv_va = esp + 5 * 4;
	uint32_t *uargv = w + 5;
	for (int i = argc - 1; i >= 0; i--) {
		uint32_t len = strlen(argv[i]) + 1;
		str -= len;
		memcpy(buf + (str - esp), argv[i], len);
		uargv[i] = str;
	}
	uargv[argc] = 0;
	w[0] = 0;		/* _main's return address: never used */
	w[1] = argc;
	w[2] = argv_va;
	w[3] = USER_STACK_HIGH;
	w[4] = stack_low;
}

static void initial_registers(struct trapframe *tf, uint32_t entry, uint32_t esp)
{
	memset(tf, 0, sizeof *tf);
	tf->ds = tf->es = tf->fs = tf->gs = tf->ss = SEL_UDATA;
	tf->cs = SEL_UCODE;
	tf->eflags = EFLAGS_IF | EFLAGS_RSV1;
	tf->eip = entry;
	tf->esp = esp;
}

/* Where a program's bytes are: a file of the RAM disk (above 16 MiB,
 * reached through KMAP: dev/ramdisk.h), or a kernel buffer holding a
 * program read from a file system. */
struct image {
	const struct rd_file *rd;	/* the RAM disk's file, or NULL: data */
	const uint8_t *data;
	uint32_t size;
};

/* Copy len bytes at off of im into the kernel buffer buf. */
static void image_read(const struct image *im, uint32_t off, uint32_t len, void *buf)
{
	if (im->rd)
		ramdisk_copy(im->rd, off, len, buf);
	else
		memcpy(buf, im->data + off, len);
}

/* Copy len bytes at off of im to va in vm. */
static int image_to_vm(const struct image *im, uint32_t off, uint32_t len, struct vm *vm,
		       uint32_t va)
{
	if (im->rd)
		return ramdisk_to_vm(im->rd, off, len, vm, va);
	return vm_write(vm, va, im->data + off, len);
}

/* Map the image's regions and copy its bytes into vm. */
static int load_image(struct vm *vm, const struct image *im, const struct elf_plan *p)
{
	for (int i = 0; i < p->nreg; i++) {
		const struct elf_region *r = &p->reg[i];
		int prot = VM_READ | (r->writable ? VM_WRITE : 0);
		int err = vm_map(vm, r->start, r->end - r->start, prot, kinds[r->kind]);
		if (err < 0)
			return err;
	}
	for (int i = 0; i < p->ncopy; i++) {
		const struct elf_copy *c = &p->copy[i];
		int err = image_to_vm(im, c->off, c->len, vm, c->va);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Map the stack region and write the arguments at its top. */
static int load_stack(struct vm *vm, uint32_t esp, uint32_t stack_low, int argc,
		      char *const argv[])
{
	uint32_t top = USER_STACK_HIGH + 1;
	int err = vm_map(vm, stack_low, top - stack_low, VM_READ | VM_WRITE, VM_STACK);
	if (err < 0)
		return err;
	uint8_t *buf = kzalloc(top - esp);
	if (!buf)
		return -ENOMEM;
	build_stack(buf, esp, stack_low, argc, argv);
	err = vm_write(vm, esp, buf, top - esp);
	kfree(buf);
	return err;
}

/* Section header tables up to this size are copied onto the stack when
 * they cannot be read in place (a program of the tree has at most 7
 * headers); bigger ones into the heap. */
#define SHDRS_ON_STACK (16 * 40)

/* Plan from section headers that cannot be read in place: a copy. */
static int plan_copied(const struct image *im, const uint8_t *ehdr, uint32_t off,
		       uint32_t size, uint32_t stack_low, struct elf_plan *plan)
{
	uint32_t small[SHDRS_ON_STACK / 4];
	void *shdrs = size <= sizeof small ? small : kmalloc(size);
	if (!shdrs)
		return -ENOMEM;
	image_read(im, off, size, shdrs);
	int err = elf_plan_parts(ehdr, shdrs, im->size, USER_MEM_START, stack_low, plan);
	if (shdrs != small)
		kfree(shdrs);
	return err;
}

/*
 * Plan im's address space. The ELF header is copied out; the section
 * headers are parsed in place: in a kernel buffer, or, as a RAM-disk
 * file's bytes are not kernel memory (ramdisk.h), inside a kmap session
 * when they lie within one page (they usually do: a page holds 102), else
 * from a copy. In a kmap session interrupts stay off for the parse, which
 * that page bounds.
 */
static int plan_image(const struct image *im, uint32_t stack_low, struct elf_plan *plan)
{
	uint32_t ehdr[ELF_EHDR_SIZE / 4], off, size;
	if (im->size < sizeof ehdr)
		return -ENOEXEC;
	image_read(im, 0, sizeof ehdr, ehdr);
	int err = elf_shdrs((const uint8_t *)ehdr, im->size, &off, &size);
	if (err < 0)
		return err;
	if (!im->rd)
		return elf_plan_parts((const uint8_t *)ehdr, im->data + off, im->size,
				      USER_MEM_START, stack_low, plan);
	uint32_t flags = kmap_begin();
	const uint8_t *shdrs = ramdisk_map(im->rd, off, size);
	if (shdrs)
		err = elf_plan_parts((const uint8_t *)ehdr, shdrs, im->size, USER_MEM_START,
				     stack_low, plan);
	kmap_end(flags);
	if (!shdrs)
		err = plan_copied(im, (const uint8_t *)ehdr, off, size, stack_low, plan);
	return err;
}

/* Build a new address space from im into *vmp and tf (see loader.h). */
static int load(const struct image *im, int argc, char *const argv[], struct vm **vmp,
		struct trapframe *tf)
{
	uint32_t esp = (USER_STACK_HIGH + 1 - stack_bytes(argc, argv)) & ~3u;
	uint32_t stack_low = (esp - STACK_SPARE) & ~PAGE_MASK;
	struct elf_plan *plan = kmalloc(sizeof *plan);
	if (!plan)
		return -ENOMEM;
	int err = plan_image(im, stack_low, plan);
	struct vm *vm = err < 0 ? NULL : vm_create();
	if (!err && !vm)
		err = -ENOMEM;
	if (!err)
		err = load_image(vm, im, plan);
	if (!err)
		err = load_stack(vm, esp, stack_low, argc, argv);
	if (!err) {
		initial_registers(tf, plan->entry, esp);
		*vmp = vm;
	} else if (vm) {
		vm_destroy(vm);
	}
	kfree(plan);
	return err;
}

int loader_load(const char *name, int argc, char *const argv[], struct vm **vmp,
		struct trapframe *tf)
{
	const struct rd_file *f = ramdisk_find(name);
	if (!f)
		return -ENOENT;
	struct image im = { f, NULL, f->size };
	return load(&im, argc, argv, vmp, tf);
}

int loader_load_image(const uint8_t *data, uint32_t size, int argc, char *const argv[],
		      struct vm **vmp, struct trapframe *tf)
{
	struct image im = { NULL, data, size };
	return load(&im, argc, argv, vmp, tf);
}
