package dev.relib.engine.worker;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.model.ImportStub;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.RestartReport;
import dev.relib.engine.model.StructInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restarted worker must be given back: the import stubs defined (before any load, so SDK
 * modules bind as they did), the structs declared (before any signature names them), the loads
 * that are in effect, in order, under their names and ids, and the signatures remembered for each
 * module.
 */
final class SessionReplay {

    private record LoadedModule(LoadRequest request, int id, Map<String, String> signatures) {
    }

    private final Map<String, LoadedModule> modules = new LinkedHashMap<>();
    private final Map<String, ImportStub> stubs = new LinkedHashMap<>();
    private final Map<String, StructInfo> structs = new LinkedHashMap<>();

    void stubDefined(ImportStub stub) {
        stubs.put(stub.name(), stub);
    }

    void structDeclared(StructInfo struct) {
        structs.remove(struct.name());
        structs.put(struct.name(), struct);
    }

    void loaded(LoadRequest request, ModuleInfo loaded) {
        // Replayed under the name it got, so "sheep" stays "sheep" whatever the file is called now.
        modules.put(loaded.name(), new LoadedModule(request.named(loaded.name()), loaded.id(), new LinkedHashMap<>()));
    }

    void remembered(String module, String signature) {
        LoadedModule loaded = modules.get(module);
        if (loaded != null) {
            loaded.signatures().put(signature.substring(0, Math.max(0, signature.indexOf('('))), signature);
        }
    }

    void unloaded(String module) {
        modules.remove(module);
    }

    /** Loads everything again into {@code engine} (which records it anew) and says what came back. */
    RestartReport replayInto(WorkerEngine engine, long pid) {
        List<LoadedModule> previous = new ArrayList<>(modules.values());
        modules.clear();
        List<ModuleInfo> reloaded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ImportStub stub : List.copyOf(stubs.values())) {
            try {
                engine.defineImportStub(stub.definition());
            } catch (EngineException e) {
                failed.add("import stub " + stub.definition() + ": " + e.getMessage());
            }
        }
        for (StructInfo struct : List.copyOf(structs.values())) {
            try {
                engine.declareStruct(struct.declaration());
            } catch (EngineException e) {
                failed.add("struct " + struct.name() + ": " + e.getMessage());
            }
        }
        for (LoadedModule module : previous) {
            try {
                // Under the id it had: "#2" in a script or the user's head still means the same module.
                engine.continueModuleIdsAt(module.id());
                ModuleInfo info = engine.load(module.request());
                reloaded.add(info);
                for (String signature : module.signatures().values()) {
                    rememberAgain(engine, info, signature, failed);
                }
            } catch (EngineException e) {
                failed.add(module.request().as() + ": " + e.getMessage());
            }
        }
        return new RestartReport(pid, reloaded, failed);
    }

    private static void rememberAgain(WorkerEngine engine, ModuleInfo info, String signature, List<String> failed) {
        try {
            engine.rememberSignature(ModuleRef.of(info.name()), signature);
        } catch (EngineException e) {
            failed.add(info.name() + ": sig " + signature + ": " + e.getMessage());
        }
    }
}
