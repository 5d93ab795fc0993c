// Stand-in for an unused dependency of @push.rocks/smartmongo (see vendor/README.md).
export {};
