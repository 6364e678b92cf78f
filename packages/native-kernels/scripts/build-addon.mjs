// Placeholder replaced by the native-kernels work: never fails the install.
console.log('[native-kernels] addon build not implemented yet');
