package dev.relib.engine.worker;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.UnloadRequest;
import java.nio.file.Path;

/**
 * What the shell asks of the worker: one record per {@link dev.relib.engine.Engine} method. Each
 * travels as one JSON line {@code {"id":N,"request":{"op":"load",...}}}, named by its record
 * ({@link dev.relib.engine.worker.wire.WireCodec#kindOf}).
 */
public sealed interface WorkerRequest {

    /** A short description for crash reports: what the worker was doing when it died. */
    String describe();

    /** Runs the request on the worker's engine; the result is a record (or list of records). */
    Object applyTo(Engine engine);

    record Load(LoadRequest request) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.load(request);
        }

        public String describe() {
            return "load " + request.path();
        }
    }

    record CheckLoad(Path path) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.checkLoad(path);
        }

        public String describe() {
            return "check load " + path;
        }
    }

    record Modules() implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.modules();
        }

        public String describe() {
            return "modules";
        }
    }

    record Info(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.info(module);
        }

        public String describe() {
            return "info " + module;
        }
    }

    record Exports(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.exports(module);
        }

        public String describe() {
            return "exports " + module;
        }
    }

    record RememberSignature(ModuleRef module, String signature) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.rememberSignature(module, signature);
        }

        public String describe() {
            return "sig " + signature;
        }
    }

    record Call(CallRequest request) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.call(request);
        }

        public String describe() {
            String target = request.module() == null || request.module().isImplied() ? request.symbol()
                    : request.module().text() + "." + request.symbol();
            return "call " + target + (request.signature() == null ? "" : request.signature())
                    + (request.arguments().isEmpty() ? "" : " " + String.join(" ", request.arguments()));
        }
    }

    record Allocations(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.allocations(module);
        }

        public String describe() {
            return "allocs " + module;
        }
    }

    record Threads(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.threads(module);
        }

        public String describe() {
            return "threads " + module;
        }
    }

    record Mappings(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.mappings(module);
        }

        public String describe() {
            return "maps " + module;
        }
    }

    record Reload(ReloadRequest request) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.reload(request);
        }

        public String describe() {
            return "reload " + request.module();
        }
    }

    record Generations(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.generations(module);
        }

        public String describe() {
            return "allocs --by generation " + module;
        }
    }

    record AddressSpace() implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.addressSpace();
        }

        public String describe() {
            return "address space";
        }
    }

    record Unload(UnloadRequest request) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.unload(request);
        }

        public String describe() {
            return "unload " + request.module();
        }
    }

    /** An unload the shell makes as the session ends, named so in a crash report. */
    record FinalUnload(UnloadRequest request, String name) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.unload(request);
        }

        public String describe() {
            return "the final unload of " + name + " at session end";
        }
    }

    record ContinueModuleIds(int id) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            engine.continueModuleIdsAt(id);
            return null;
        }

        public String describe() {
            return "restart: module ids from #" + id;
        }
    }

    record CheckUnload(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.checkUnload(module);
        }

        public String describe() {
            return "check unload " + module;
        }
    }

    /** {@code module} null: every loaded module. */
    record Panics(ModuleRef module) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.panics(module);
        }

        public String describe() {
            return "panics" + (module == null ? "" : " " + module);
        }
    }

    record DefineImportStub(String definition) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.defineImportStub(definition);
        }

        public String describe() {
            return "import stub " + definition;
        }
    }

    record ImportStubs() implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.importStubs();
        }

        public String describe() {
            return "import list";
        }
    }

    record ReadMemory(long address, int length) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.readMemory(address, length);
        }

        public String describe() {
            return "read " + length + " bytes at 0x" + Long.toHexString(address);
        }
    }

    record ReadValue(String type, long address) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.readValue(type, address);
        }

        public String describe() {
            return "read " + type + " 0x" + Long.toHexString(address);
        }
    }

    record WriteValue(String type, long address, String literal) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.writeValue(type, address, literal);
        }

        public String describe() {
            return "write " + type + " 0x" + Long.toHexString(address) + " " + literal;
        }
    }

    record ReadCString(long address) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.readCString(address);
        }

        public String describe() {
            return "x/s 0x" + Long.toHexString(address);
        }
    }

    record AllocateBuffer(long size) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.allocateBuffer(size);
        }

        public String describe() {
            return "buf " + size;
        }
    }

    record Buffers() implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.buffers();
        }

        public String describe() {
            return "buf";
        }
    }

    record FreeBuffer(int id) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.freeBuffer(id);
        }

        public String describe() {
            return "buf --free " + id;
        }
    }

    record LocateSymbol(ModuleRef module, String symbol) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.locateSymbol(module, symbol);
        }

        public String describe() {
            return "locate " + symbol;
        }
    }

    record DeclareStruct(String declaration) implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.declareStruct(declaration);
        }

        public String describe() {
            return declaration;
        }
    }

    record Structs() implements WorkerRequest {
        public Object applyTo(Engine engine) {
            return engine.structs();
        }

        public String describe() {
            return "struct";
        }
    }
}
