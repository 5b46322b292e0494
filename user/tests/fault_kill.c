/* fault_kill.c: a thread that faults with no handler is killed; alone in
 * its task it leaves exit status -2. Writes to unmapped memory, to code,
 * to rodata and to kernel memory, a divide by zero and a privileged
 * instruction all end that way, and the kernel goes on. */
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

static const int ro = 5;

int main(void);

static int run(void (*fn)(void))
{
	int pid = fork();
	if (pid == 0) {
		fn();
		exit(0);
	}
	int status = 0;
	wait(&status);
	return status;
}

static void unmapped(void) { *(volatile int *)0x31337000 = 1; }
static void code(void) { *(volatile char *)(void *)main = 0; }
static void rodata(void) { *(volatile int *)&ro = 1; }
static void kernel_read(void) { (void)*(volatile int *)0x500000; }
static void kernel_write(void) { *(volatile int *)0x00FFFFFC = 1; }
static void divide(void) { __asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx"); }
static void privileged(void) { __asm__ volatile("cli"); }
static void port(void) { __asm__ volatile("outb %al, $0x80"); }
static void no_gate(void) { __asm__ volatile("int $0x43"); }

int main(void)
{
	CHECK(run(unmapped) == -2);
	CHECK(run(code) == -2);
	CHECK(run(rodata) == -2);
	CHECK(run(kernel_read) == -2);
	CHECK(run(kernel_write) == -2);
	CHECK(run(divide) == -2);
	CHECK(run(privileged) == -2);
	CHECK(run(port) == -2);
	CHECK(run(no_gate) == -2);
	test_done();
}
